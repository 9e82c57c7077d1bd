import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Cold start of the deployable jar, outside Lambda but the way its runtime does it: a fresh JVM loads
 * {@code DispatcherHandler} from the jar alone, runs its no-arg constructor (the init phase: configuration from
 * the environment / system properties, the dispatcher and its dedupe store built) and then the first invocation
 * (20 records to a log target; with the dynamodb mode its first DynamoDB requests). Prints one line:
 * {@code jvmToMainMs initMs firstInvokeMs}. Run by measure.sh, which starts a fresh JVM per sample.
 *
 * <p>Usage: {@code java [-XX:TieredStopAtLevel=1] [-Dsluice.dedupe...] ColdStart.java <aws.jar>}
 */
public final class ColdStart {
  public static void main(String[] args) throws Exception {
    long jvmToMain = ManagementFactory.getRuntimeMXBean().getUptime();
    long t0 = System.nanoTime();
    URLClassLoader loader = new URLClassLoader(new URL[] {new File(args[0]).toURI().toURL()},
        ClassLoader.getPlatformClassLoader());
    Class<?> handlerClass = Class.forName("io.sluice.lambda.DispatcherHandler", true, loader);
    Object handler = handlerClass.getConstructor().newInstance();
    long t1 = System.nanoTime();
    Class<?> ctx = Class.forName("com.amazonaws.services.lambda.runtime.Context", true, loader);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handlerClass.getMethod("handleRequest", InputStream.class, OutputStream.class, ctx)
        .invoke(handler, new ByteArrayInputStream(event(20, t0)), out, null);
    long t2 = System.nanoTime();
    String answer = out.toString(StandardCharsets.UTF_8);
    if (!answer.startsWith("{\"batchItemFailures\":[]")) {
      throw new IllegalStateException("unexpected answer " + answer);
    }
    System.out.printf("%d %.1f %.1f%n", jvmToMain, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    System.exit(0);
  }

  private static byte[] event(int n, long tag) {
    StringBuilder records = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String value = "{\"eventId\":\"cold-" + tag + "-" + i + "\",\"code\":301,\"truckId\":\"T-" + i
          + "\",\"timestamp\":1700000000000}";
      records.append(i == 0 ? "" : ",").append("{\"topic\":\"t\",\"partition\":0,\"offset\":").append(i)
          .append(",\"timestamp\":1,\"timestampType\":\"CREATE_TIME\",\"value\":\"")
          .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))).append("\",\"headers\":[]}");
    }
    return ("{\"eventSource\":\"SelfManagedKafka\",\"bootstrapServers\":\"b:9092\",\"records\":{\"t-0\":[" + records
        + "]}}").getBytes(StandardCharsets.UTF_8);
  }
}
