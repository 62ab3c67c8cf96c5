package io.drawbridge.order;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderSyncServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderSyncServiceApplication.class, args);
    }
}
