import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.*;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;
/** The same first line through aws-embedded-metrics-java (its Lambda environment: lines to stdout, no agent, no network). */
public class Library {
  public static void main(String[] a) throws Exception {
    ObjectMapper m = new ObjectMapper(); m.writeValueAsString(Map.of("warm","up")); // every function has this already
    java.io.PrintStream real = System.out;
    System.setOut(System.err); // the library prints its line to stdout; the timing goes to the real one
    long t0 = System.nanoTime();
    MetricsLogger metrics = new MetricsLogger();
    metrics.setNamespace("Ferry/ferry");
    metrics.setDimensions(DimensionSet.of("Status","SUCCEEDED"), DimensionSet.of("Status","SUCCEEDED","Trigger","WEBHOOK"));
    metrics.putMetric("Executions", 1, Unit.COUNT);
    metrics.putMetric("Duration", 42, Unit.MILLISECONDS);
    metrics.flush();
    long t1 = System.nanoTime();
    real.println((t1-t0)/1000);
  }
}
