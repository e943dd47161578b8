"""A standalone Spark cluster on 127.0.0.1 from the pyspark wheel, for the Spark tests.

The wheel holds Spark's jars and ``bin/`` (``spark-class``, ``spark-submit``) but not the
``sbin/start-master.sh``, ``start-worker.sh`` or ``start-thriftserver.sh`` scripts of a Spark
distribution (its ``sbin/`` has the Connect and history servers only). Those scripts only run
``spark-class`` with the class's name in the background, so each process is started here the
same way, in the foreground of a child process whose PID is the JVM's (``spark-class`` execs
java): the master, the workers (``org.apache.spark.deploy.worker.Worker``), the Thrift server
(``spark-submit --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2
spark-internal``, as ``start-thriftserver.sh`` does; its jar is in the wheel) and the Spark
Connect server (``spark-submit --class org.apache.spark.sql.connect.service.SparkConnectServer``,
as the wheel's ``sbin/start-connect-server.sh`` does, but in the foreground). Every port is a
free one, every file (logs, work dirs, warehouses, Derby metastores) under one folder, and
:meth:`SparkCluster.stop` ends each process by its PID.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyspark

SPARK_HOME = Path(pyspark.__file__).parent
HOST = "127.0.0.1"
THRIFT_SERVER = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
CONNECT_SERVER = "org.apache.spark.sql.connect.service.SparkConnectServer"


def java_processes(folder: Path) -> set[str]:
    """PIDs of the Java processes running in ``folder`` or below it (their working directory):
    a Spark this test started, not one another test runs beside it."""
    done = subprocess.run(["pgrep", "-f", "java"], capture_output=True, text=True)
    found = set()
    for pid in done.stdout.split():
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/cwd").resolve().is_relative_to(folder.resolve()):
                found.add(pid)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(1)
    raise TimeoutError(f"nothing listens on {HOST}:{port} after {timeout} s; log: {log}")


def wait_for_log(text: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        time.sleep(1)
    raise TimeoutError(f"{text!r} not in {log} after {timeout} s")


@dataclass
class SparkCluster:
    """A master, ``workers`` workers and a Thrift or a Connect server, all under ``root``."""

    root: Path
    workers: int = 2
    worker_cores: int = 1
    worker_memory: str = "1g"
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    master_port: int = 0
    thrift_port: int = 0
    connect_port: int = 0

    @property
    def master_url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    @property
    def connect_url(self) -> str:
        return f"sc://{HOST}:{self.connect_port}"

    def warehouse(self, server: str) -> Path:
        """The warehouse folder of ``server`` (``thriftserver``, ``connectserver``)."""
        return self.root / server / "warehouse"

    def application_id(self, server: str) -> str:
        """The id the master gave ``server``'s application, from the server's log: the name of
        the folder each worker runs that application's executors in."""
        log = (self.root / "logs" / f"{server}.log").read_text(errors="replace")
        found = re.search(r"Connected to Spark cluster with app ID (app-[\w-]+)", log)
        if found is None:
            raise LookupError(f"no application id in {server}'s log")
        return found.group(1)

    def _environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "SPARK_HOME": str(SPARK_HOME),
            "SPARK_LOCAL_IP": HOST,
            "SPARK_LOCAL_DIRS": str(self.root / "local"),
            "SPARK_LOG_DIR": str(self.root / "logs"),
            "SPARK_WORKER_DIR": str(self.root / "work"),
            # The processes started here stop with them: no daemon PID files under /tmp.
            "SPARK_PID_DIR": str(self.root / "pids"),
            # The master and the workers only schedule: a smaller heap than their 1g default.
            "SPARK_DAEMON_MEMORY": "512m",
        }

    def _start(self, name: str, command: list[str], cwd: Path) -> tuple[subprocess.Popen, Path]:
        log = self.root / "logs" / f"{name}.log"
        cwd.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=self._environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # A group of its own: Ctrl-C in the test's terminal does not reach it first.
                start_new_session=True,
            )
        self.processes[name] = process
        return process, log

    def start(self, timeout: float = 180, servers: tuple[str, ...] = ("thrift",)) -> SparkCluster:
        """The master, the workers and then each of ``servers`` (``thrift``, ``connect``)."""
        for folder in ("logs", "local", "work", "pids"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        spark_class = str(SPARK_HOME / "bin" / "spark-class")
        try:
            self.master_port = free_port()
            command = [
                spark_class, "org.apache.spark.deploy.master.Master",
                "--host", HOST, "--port", str(self.master_port), "--webui-port", str(free_port()),
            ]  # fmt: skip
            master, log = self._start("master", command, self.root)
            wait_for_port(self.master_port, master, log, timeout)
            for n in range(1, self.workers + 1):
                command = [
                    spark_class, "org.apache.spark.deploy.worker.Worker",
                    "--host", HOST, "--webui-port", str(free_port()),
                    "--cores", str(self.worker_cores), "--memory", self.worker_memory,
                    "--work-dir", str(self.root / "work" / f"worker{n}"),
                    self.master_url,
                ]  # fmt: skip
                worker, log = self._start(f"worker{n}", command, self.root)
                wait_for_log("Successfully registered with master", worker, log, timeout)
            for server in servers:
                {"thrift": self.start_thrift, "connect": self.start_connect}[server](timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _server_options(self, server: str) -> list[str]:
        """What the Thrift and the Connect server share: the master, the sizes of the driver and
        the executors; each has a warehouse and a Derby metastore of its own, in its folder, so
        that what one builds is not found by the other."""
        return [
            "--master", self.master_url,
            "--driver-memory", "1g",
            "--executor-memory", "768m",
            "--conf", f"spark.sql.warehouse.dir={self.warehouse(server)}",
            "--conf", "spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;"
            f"databaseName={self.root / server / 'metastore_db'};create=true",
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.sql.shuffle.partitions=4",
            "--conf", "spark.sql.session.timeZone=UTC",
            "--conf", "spark.sql.sources.default=parquet",
            "--conf", "spark.sql.parquet.compression.codec=zstd",
        ]  # fmt: skip

    def start_thrift(self, timeout: float = 180) -> None:
        """The Thrift server, as ``start-thriftserver.sh`` starts it; its application takes
        every core of the workers while it runs."""
        self.thrift_port = free_port()
        command = [
            str(SPARK_HOME / "bin" / "spark-submit"),
            "--class", THRIFT_SERVER,
            "--name", "roundabout-thrift",
            *self._server_options("thriftserver"),
            "spark-internal",
            "--hiveconf", f"hive.server2.thrift.port={self.thrift_port}",
            "--hiveconf", f"hive.server2.thrift.bind.host={HOST}",
        ]  # fmt: skip
        # In a folder of its own, where Derby leaves its derby.log.
        thrift, log = self._start("thriftserver", command, self.root / "thriftserver")
        wait_for_port(self.thrift_port, thrift, log, timeout)

    def start_connect(self, timeout: float = 180) -> None:
        """The Spark Connect server, as ``sbin/start-connect-server.sh`` starts it (``spark-submit
        --class SparkConnectServer``; its classes are in the wheel's ``spark-connect`` jar), with
        Hive's catalog as the Thrift server has it, on a free port of 127.0.0.1. Its application
        takes every core of the workers while it runs: start it with no other server running."""
        self.connect_port = free_port()
        command = [
            str(SPARK_HOME / "bin" / "spark-submit"),
            "--class", CONNECT_SERVER,
            "--name", "roundabout-connect",
            *self._server_options("connectserver"),
            "--conf", "spark.sql.catalogImplementation=hive",
            "--conf", f"spark.connect.grpc.binding.address={HOST}",
            "--conf", f"spark.connect.grpc.binding.port={self.connect_port}",
            "spark-internal",
        ]  # fmt: skip
        connect, log = self._start("connectserver", command, self.root / "connectserver")
        wait_for_port(self.connect_port, connect, log, timeout)

    def stop_process(self, name: str, timeout: float = 60) -> None:
        """End the process ``name`` by its PID: SIGTERM, SIGKILL if it outlives ``timeout``."""
        process = self.processes[name]
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.processes.items()}

    def running(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.processes.items() if p.poll() is None}

    def stop(self, timeout: float = 60) -> None:
        """End every process started here by its PID, the last started first: the servers
        (their executors end with them), then the workers, then the master."""
        for name in reversed(list(self.processes)):
            self.stop_process(name, timeout)

    def __enter__(self) -> SparkCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def duckdb_marts(warehouse: Path) -> set[str]:
    """The marts of a DuckDB warehouse, as ``marts.<name>``: what a Spark build is compared with."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            f"marts.{name}"
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
