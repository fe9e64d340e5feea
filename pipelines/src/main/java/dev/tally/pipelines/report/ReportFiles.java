package dev.tally.pipelines.report;

import java.nio.file.Path;

/** The files of a written report, as absolute paths. */
public record ReportFiles(Path html, Path csv) {}
