#!/usr/bin/env python3
"""Score a sharded JSON Lines archive with `unspun batch` as an Apache Spark pipe stage.

`unspun batch` with JSON Lines on standard input and JSON Lines on standard
output is a pure filter: one result record per input line, in input order. Spark
can therefore run it as an `RDD.pipe()` stage: every partition of the archive is
streamed through one `unspun batch` process, and the result records come back
as the lines of a new RDD, saved as text shards.

    spark-submit examples/spark/score_archive.py 'archive/part-*.jsonl.gz' scores/ \
        --unspun /opt/unspun/bin/unspun

Spark reads `.gz` shards itself. The `unspun` binary must exist at the same path
on every executor (installed on the image, or shipped with `--files` and named
`./unspun`). Spark already runs one task per core, so each process gets one
worker thread by default (`--jobs`). The processes' summaries go to the
executors' standard error (the task logs).
"""

import argparse
import os
import shlex
import sys

from pyspark.sql import SparkSession


def pipe_command(args):
    """The `unspun batch` command line run for each partition."""
    return shlex.join(
        [
            args.unspun,
            "batch",
            "--jobs",
            str(args.jobs),
            "--id-field",
            args.id_field,
            "--text-field",
            args.text_field,
            "--progress",
            "never",
            # Flagged documents are the point, not a failure of the task.
            "--exit-zero",
        ]
        + args.unspun_arg
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="archive path, directory or glob of JSON Lines shards (.gz read natively)")
    parser.add_argument("output", help="directory for the result shards (must not exist yet)")
    parser.add_argument("--unspun", default="unspun", help="path of the unspun binary on the executors")
    parser.add_argument("--jobs", type=int, default=1, help="worker threads per unspun process (default 1)")
    parser.add_argument("--id-field", default="id", help="JSON field holding the document id")
    parser.add_argument("--text-field", default="text", help="JSON field holding the text")
    parser.add_argument(
        "--unspun-arg",
        action="append",
        default=[],
        help="extra argument for unspun batch (repeatable), e.g. --unspun-arg=--top=3",
    )
    parser.add_argument("--partitions", type=int, default=None, help="minimum number of partitions")
    parser.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: from spark-submit)")
    args = parser.parse_args(argv)

    builder = SparkSession.builder.appName("unspun-batch")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        lines = spark.sparkContext.textFile(args.input, minPartitions=args.partitions)
        # RDD.pipe starts the command with exactly this environment: pass PATH on,
        # so a bare `unspun` is found where it is found here.
        env = {"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C.UTF-8"}
        scored = lines.pipe(pipe_command(args), env=env, checkCode=True)
        scored.saveAsTextFile(args.output)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
