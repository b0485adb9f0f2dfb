import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.*;
/** First embedded-metric line as Ferry's EmfMetrics writes it: nested maps and one writeValueAsString on the ObjectMapper every function already has. */
public class Writer {
  public static void main(String[] a) throws Exception {
    ObjectMapper m = new ObjectMapper(); m.writeValueAsString(Map.of("warm","up")); // every function has this already
    long t0 = System.nanoTime();
    Map<String,Object> directive = new LinkedHashMap<>();
    directive.put("Namespace","Ferry/ferry");
    directive.put("Dimensions", List.of(List.of("Status"), List.of("Status","Trigger")));
    directive.put("Metrics", List.of(Map.of("Name","Executions","Unit","Count"), Map.of("Name","Duration","Unit","Milliseconds")));
    Map<String,Object> aws = new LinkedHashMap<>(); aws.put("Timestamp", System.currentTimeMillis()); aws.put("CloudWatchMetrics", List.of(directive));
    Map<String,Object> line = new LinkedHashMap<>(); line.put("_aws", aws);
    line.put("Status","SUCCEEDED"); line.put("Trigger","WEBHOOK"); line.put("Executions",1); line.put("Duration",42);
    System.err.println(m.writeValueAsString(line));
    long t1 = System.nanoTime();
    System.out.println((t1-t0)/1000);
  }
}
