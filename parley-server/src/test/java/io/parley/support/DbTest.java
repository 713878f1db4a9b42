package io.parley.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/**
 * A test of the whole application against a real database: the embedded PostgreSQL by default, or
 * the one named by {@code PARLEY_DB_URL}. Tagged {@code db} so CI can run these against every
 * supported database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("db")
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
public @interface DbTest {}
