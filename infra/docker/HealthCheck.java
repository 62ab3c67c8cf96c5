import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The images have no shell and no curl, so a container health check (compose) runs this: exit 0 when the URL
 * answers 200 within 3 seconds, 1 otherwise. Compiled into the runtime by build-runtime.sh (/opt/healthcheck).
 */
public final class HealthCheck {
    public static void main(String[] args) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(args[0]).toURL().openConnection();
            connection.setConnectTimeout(3000);
            connection.setReadTimeout(3000);
            System.exit(connection.getResponseCode() == 200 ? 0 : 1);
        } catch (Exception e) {
            System.exit(1);
        }
    }
}
