# The only code that talks to a server: fetch one URL into a file.

fetch <- function(url, destination, timeout) {
  old <- options(timeout = timeout)
  on.exit(options(old), add = TRUE)
  warnings <- character()
  status <- withCallingHandlers(
    tryCatch(
      utils::download.file(url, destination, method = "libcurl", mode = "wb", quiet = TRUE),
      error = function(error) conditionMessage(error)
    ),
    warning = function(warning) {
      warnings <<- c(warnings, conditionMessage(warning))
      invokeRestart("muffleWarning")
    }
  )
  if (identical(status, 0L)) return(invisible(TRUE))
  # download.file's messages quote the URL, login and query included: hide them.
  reasons <- unique(c(warnings, if (is.character(status)) status else sprintf("status %s", status)))
  stop(sprintf("could not download %s: %s", redact_url(url),
               scrub(paste(reasons, collapse = "; "), url_secrets(url))), call. = FALSE)
}
