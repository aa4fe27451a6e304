# Loading one table: its CSV read as text, then typed by the release's own datapackage.json.

# The descriptors this session read, by cache folder and sha256: each was verified when it
# was read, and is never read from disk again (verifying 0.5 MB on every load would make a
# cached load cost twice a plain read.csv). Table files are verified at every load.
descriptors <- new.env(parent = emptyenv())

load_csto <- function(table, version = NULL) {
  settings <- csto_settings()  # a malformed variable is refused before any I/O
  release <- find_release(version)
  descriptor <- release_descriptor(settings, release)
  resource <- find_resource(descriptor, table, release$version)
  path <- cached_file(settings, release, resource$path)
  read_table(path, resource$schema, table)
}

release_descriptor <- function(settings, release) {
  key <- paste(cache_folder(settings, release$version),
               release_file(release, "datapackage.json")$sha256)
  if (is.null(descriptors[[key]])) {
    path <- cached_file(settings, release, "datapackage.json")
    descriptors[[key]] <- jsonlite::fromJSON(path, simplifyVector = FALSE)
  }
  descriptors[[key]]
}

find_resource <- function(descriptor, table, version) {
  names <- vapply(descriptor$resources, function(resource) resource$name, "")
  if (!is.character(table) || length(table) != 1 || !table %in% names) {
    shown <- if (is.character(table) && length(table) == 1) shown_value(table) else "given"
    stop(sprintf("table %s is not in data version %s; its tables: %s",
                 shown, version, paste(sort(names), collapse = ", ")), call. = FALSE)
  }
  resource <- descriptor$resources[[match(table, names)]]
  if (is.character(resource$schema)) {
    stop(sprintf("table %s of data version %s has its schema in a separate file, which this package cannot read",
                 table, version), call. = FALSE)
  }
  resource
}

read_table <- function(path, schema, table) {
  missing <- unlist(schema$missingValues)
  if (is.null(missing)) missing <- ""
  # Every column as text first: R's type guessing would turn codes such as "051" into numbers.
  frame <- utils::read.csv(path, colClasses = "character", na.strings = missing,
                           encoding = "UTF-8", check.names = FALSE, comment.char = "",
                           strip.white = FALSE, blank.lines.skip = FALSE)
  fields <- vapply(schema$fields, function(field) field$name, "")
  if (!identical(names(frame), fields)) {
    stop(sprintf("the columns of %s (%s) are not the fields of table %s's schema (%s)",
                 basename(path), paste(names(frame), collapse = ", "), table,
                 paste(fields, collapse = ", ")), call. = FALSE)
  }
  for (i in seq_along(fields)) {
    frame[[i]] <- typed_column(frame[[i]], schema$fields[[i]], table)
  }
  frame
}

BOOLEAN_TRUE <- c("true", "True", "TRUE", "1")
BOOLEAN_FALSE <- c("false", "False", "FALSE", "0")

# One column's text as the R type of the field's Table Schema type.
typed_column <- function(values, field, table) {
  levels <- field$constraints$enum
  if (!is.null(levels)) {
    levels <- vapply(levels, as.character, "")
    return(checked(factor(values, levels = levels), values, field, table))
  }
  typed <- switch(
    field$type,
    integer = suppressWarnings(as.integer(values)),
    number = suppressWarnings(as.numeric(values)),
    boolean = ifelse(values %in% BOOLEAN_TRUE, TRUE, ifelse(values %in% BOOLEAN_FALSE, FALSE, NA)),
    date = as.Date(values, format = "%Y-%m-%d"),
    values  # string, and any type this package does not know: the text as it is
  )
  checked(typed, values, field, table)
}

# `typed`, once no value was lost in the conversion from `values`.
checked <- function(typed, values, field, table) {
  lost <- which(is.na(typed) & !is.na(values))
  if (length(lost)) {
    stop(sprintf("column %s of table %s has a value that is not a valid %s: %s (row %d)",
                 field$name, table, if (is.null(field$constraints$enum)) field$type else "enum value",
                 shown_value(values[[lost[[1]]]]), lost[[1]]), call. = FALSE)
  }
  typed
}
