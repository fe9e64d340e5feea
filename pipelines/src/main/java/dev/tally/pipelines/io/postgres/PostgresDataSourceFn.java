package dev.tally.pipelines.io.postgres;

import javax.sql.DataSource;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Gives JdbcIO's writers a data source for the target on each worker. Not JdbcIO's own DataSourceConfiguration,
 * whose generated {@code toString} (shown in display data) would print the password.
 */
final class PostgresDataSourceFn implements SerializableFunction<Void, DataSource> {
  private final PostgresTarget target;

  PostgresDataSourceFn(PostgresTarget target) {
    this.target = target;
  }

  @Override
  public DataSource apply(Void input) {
    return target.dataSource();
  }

  @Override
  public String toString() {
    return "PostgresDataSourceFn[" + target + "]";
  }
}
