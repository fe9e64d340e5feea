"""Tally's daily batch: generate -> spark-submit of the bundled jar -> report, each step retried.

Where it runs: an Airflow worker that holds Tally's image contents (built FROM the Tally image, or with
/opt/tally copied in: the bundled jar, lib/ and the `tally` launcher on PATH) and a Spark 3.5 distribution for
spark-submit, with apache-airflow-providers-apache-spark installed. Set up once:

    airflow connections add spark_tally --conn-type spark --conn-host spark://spark-master --conn-port 7077

The PostgreSQL password is never in the DAG, a flag or a template: the worker's environment holds
TALLY_JDBC_PASSWORD (e.g. from the Kubernetes Secret tally-postgres), which the pipeline and the report read and
spark-submit passes on to its driver. Host names are those of docker-compose.yml and deploy/k8s.

Checked here by byte-compiling only (python3 -m py_compile): Airflow itself cannot be installed where Tally is
developed.
"""

import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

TALLY_HOME = os.environ.get("TALLY_HOME", "/opt/tally")
HDFS = os.environ.get("TALLY_HDFS_URL", "hdfs://namenode:8020")
JDBC_URL = os.environ.get("TALLY_JDBC_URL", "jdbc:postgresql://postgres:5432/tally")
REPORTS_DIR = os.environ.get("TALLY_REPORTS_DIR", "/opt/tally/reports")

# One folder of input per day; the batch output folder must be new, so a retry writes its own.
EVENTS = HDFS + "/tally/events/{{ ds }}"
RUN_OUTPUT = HDFS + "/tally/runs/{{ ts_nodash }}-try{{ ti.try_number }}"

default_args = {
    "owner": "tally",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
}

with DAG(
    dag_id="tally_batch",
    description="Generate events, count them on Spark (bundled jar), write the report",
    schedule="@daily",
    start_date=datetime(2026, 11, 23),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["tally"],
) as dag:
    # Synthetic events for the day being processed; --overwrite makes a retry replace a partial folder.
    generate = BashOperator(
        task_id="generate",
        bash_command=(
            "tally generate --output=" + EVENTS
            + " --start={{ data_interval_start.strftime('%Y-%m-%dT%H:%M:%SZ') }} --span=PT24H --overwrite"
        ),
    )

    # The same submission as `tally batch` in the image: client deploy mode, the pipeline's flags after the jar.
    batch = SparkSubmitOperator(
        task_id="batch",
        conn_id="spark_tally",
        application=TALLY_HOME + "/tally-pipelines-bundled.jar",
        java_class="dev.tally.pipelines.BatchPipeline",
        name="tally-batch-{{ ds_nodash }}",
        driver_memory="2g",
        executor_memory="2g",
        application_args=[
            "--runner=SparkRunner",
            "--input=" + EVENTS + "/*",
            "--output=" + RUN_OUTPUT,
            "--jdbcUrl=" + JDBC_URL,
            "--jdbcUser=tally_pipeline",
        ],
    )

    report = BashOperator(
        task_id="report",
        bash_command="tally report --jdbcUrl=" + JDBC_URL + " --output=" + REPORTS_DIR + "/{{ ds }}",
    )

    generate >> batch >> report
