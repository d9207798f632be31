package org.fangxian;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class FangxianApplication {

	public static void main(String[] args) {
		SpringApplication.run(FangxianApplication.class, args);
	}

}
