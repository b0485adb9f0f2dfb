package dev.ferry.cli.output;

/** The {@code --output} choices. */
public enum Format {
    table, json, csv
}
