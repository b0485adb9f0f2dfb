import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.*;
/** First JSON log line through Ferry's facade (Log): a map and one writeValueAsString on the ObjectMapper every function already has. */
public class Facade {
  public static void main(String[] a) throws Exception {
    ObjectMapper m = new ObjectMapper(); m.writeValueAsString(Map.of("warm","up")); // every function has this already
    long t0 = System.nanoTime();
    Map<String,Object> line = new LinkedHashMap<>(); line.put("level","INFO"); line.put("message","first line");
    line.put("function","f"); line.put("requestId","r-1"); line.put("executionId","exe_1");
    System.err.println(m.writeValueAsString(line));
    long t1 = System.nanoTime();
    System.out.println((t1-t0)/1000);
  }
}
