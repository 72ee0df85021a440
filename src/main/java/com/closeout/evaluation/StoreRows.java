package com.closeout.evaluation;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every value of every row of a schema as text, for the restricted-leak search. */
final class StoreRows {
  private StoreRows() {}

  static List<String> texts(DataSource dataSource, String schema) {
    return texts(dataSource, schema, List.of());
  }

  /** Every non-null column value of every table of {@code schema} but the {@code skipped} ones. */
  static List<String> texts(DataSource dataSource, String schema, List<String> skipped) {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    List<String> tables =
        jdbc.sql(
                """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = ? AND table_type = 'BASE TABLE'
                """)
            .param(schema)
            .query(String.class)
            .list();
    List<String> texts = new ArrayList<>();
    for (String table : tables) {
      if (skipped.contains(table)) {
        continue;
      }
      jdbc.sql("SELECT * FROM " + quoted(schema) + "." + quoted(table))
          .query(
              (ResultSet rows) -> {
                ResultSetMetaData meta = rows.getMetaData();
                while (rows.next()) {
                  for (int column = 1; column <= meta.getColumnCount(); column++) {
                    String value = rows.getString(column);
                    if (value != null) {
                      texts.add(value);
                    }
                  }
                }
              });
    }
    return texts;
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
