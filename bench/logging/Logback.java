import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.*;
/** First JSON log line through SLF4J 2, logback and the logstash JSON encoder (the stack Powertools logging builds on), after the same ObjectMapper warm-up. */
public class Logback {
  public static void main(String[] a) throws Exception {
    ObjectMapper m = new ObjectMapper(); m.writeValueAsString(Map.of("warm","up"));
    long t0 = System.nanoTime();
    org.slf4j.Logger l = org.slf4j.LoggerFactory.getLogger("dev.ferry");
    l.atInfo().addKeyValue("function","f").addKeyValue("requestId","r-1").addKeyValue("executionId","exe_1").log("first line");
    long t1 = System.nanoTime();
    System.out.println((t1-t0)/1000);
  }
}
