package com.closeout.propagation.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Conversions shared by the store adapters: times as timestamptz (microseconds, what PostgreSQL
 * keeps) and lists as jsonb text.
 */
public final class StoreColumns {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String UNIQUE_VIOLATION = "23505";

  private StoreColumns() {}

  /** The instant PostgreSQL will store for {@code instant}; null stays null. */
  public static Instant stored(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** A bind value for a timestamptz column. */
  public static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : stored(instant).atOffset(ZoneOffset.UTC);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** Integer column that may be NULL. */
  public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  public static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  public static String json(Object value) {
    return value == null ? null : JSON.writeValueAsString(value);
  }

  /** Reads a jsonb list column; NULL reads as null so callers can tell "not recorded" apart. */
  public static <T> List<T> jsonList(ResultSet rs, String column, TypeReference<List<T>> type)
      throws SQLException {
    String text = rs.getString(column);
    return text == null ? null : JSON.readValue(text, type);
  }

  /** Whether a failed statement broke a unique constraint or unique index. */
  public static boolean isUniqueViolation(DataIntegrityViolationException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
