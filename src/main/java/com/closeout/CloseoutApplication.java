package com.closeout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CloseoutApplication {
  public static void main(String[] args) {
    SpringApplication.run(CloseoutApplication.class, args);
  }
}
