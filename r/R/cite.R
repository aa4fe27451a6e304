# Citations, formatted exactly as Python's csto_dataset.citation formats them.

csto_cite <- function(version = NULL, format = c("text", "bibtex")) {
  format <- match.arg(format)
  version <- find_release(version)$version
  citation <- jsonlite::fromJSON(extdata_path("citations.json"), simplifyVector = FALSE)$citations[[version]]
  if (is.null(citation)) {
    stop(sprintf("the package's citations.json has no citation for %s; reinstall cstodataset", version),
         call. = FALSE)
  }
  citation$version <- version
  citation$year <- substr(citation$date_released, 1, 4)
  switch(format, text = cite_text(citation), bibtex = cite_bibtex(citation))
}

cite_text <- function(citation) {
  link <- if (is.null(citation$doi)) citation$url else paste0("https://doi.org/", citation$doi)
  sprintf("%s (%s). %s. Data release %s. %s", paste(unlist(citation$authors), collapse = ", "),
          citation$year, citation$title, citation$version, link)
}

cite_bibtex <- function(citation) {
  fields <- c(
    author = paste0("{", latex(unlist(citation$authors)), "}", collapse = " and "),
    title = paste0("{", latex(citation$title), "}"),
    year = citation$year,
    version = citation$version,
    note = paste("Data release", citation$version),
    url = citation$url,
    doi = citation$doi
  )
  key <- paste0("csto_dataset_", gsub(".", "_", citation$version, fixed = TRUE))
  body <- paste0("  ", names(fields), " = {", fields, "},\n", collapse = "")
  paste0("@misc{", key, ",\n", body, "}\n")
}

LATEX_SPECIAL <- c("&" = "\\&", "%" = "\\%", "$" = "\\$", "#" = "\\#", "_" = "\\_",
                   "{" = "\\{", "}" = "\\}", "~" = "\\~{}", "^" = "\\^{}",
                   "\\" = "\\textbackslash{}")

latex <- function(values) {
  vapply(values, function(value) {
    characters <- strsplit(value, "", fixed = TRUE)[[1]]
    special <- characters %in% names(LATEX_SPECIAL)
    characters[special] <- LATEX_SPECIAL[characters[special]]
    paste(characters, collapse = "")
  }, "", USE.NAMES = FALSE)
}
