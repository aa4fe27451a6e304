# Release URLs, built as Python's _download.base_url and join_name build them, and their
# redaction: no login and no query value of a URL ever reaches a message.

HIDDEN <- "***"
URL_PATTERN <- "^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(\\?[^#]*)?(#.*)?$"

split_url <- function(url) {
  if (!grepl(URL_PATTERN, url)) return(NULL)
  part <- function(n) sub(URL_PATTERN, sprintf("\\%d", n), url)
  list(scheme = part(1), netloc = part(2), path = part(3), query = part(4), fragment = part(5))
}

join_url <- function(parts) {
  paste0(parts$scheme, "://", parts$netloc, parts$path, parts$query, parts$fragment)
}

# Why `url` cannot be downloaded from, or NULL when it can.
url_problem <- function(url) {
  if (grepl("[[:space:][:cntrl:]]", url)) return("contains a space or control character")
  parts <- split_url(url)
  if (is.null(parts)) return("is not a valid URL")
  if (!tolower(parts$scheme) %in% c("http", "https")) {
    return(sprintf("is not an http or https URL (scheme '%s')", parts$scheme))
  }
  host <- sub("^.*@", "", parts$netloc)
  if (!nzchar(sub(":[0-9]*$", "", host))) return("names no host")
  if (grepl(":", sub("^\\[.*\\]", "", host)) && !grepl(":[0-9]+$", host)) {
    return("has a port that is not a number")
  }
  NULL
}

# The folder URL of a release: CSTO_DATASET_URL (`override`) or the release host. A
# "{version}" is replaced; otherwise "<version>/" is appended to the path, query kept.
release_folder_url <- function(version, override = NULL) {
  template <- if (is.null(override)) RELEASE_URL else override
  if (grepl("{version}", template, fixed = TRUE)) {
    return(gsub("{version}", version, template, fixed = TRUE))
  }
  parts <- split_url(template)
  parts$path <- paste0(sub("/+$", "", parts$path), "/", version, "/")
  join_url(parts)
}

# The URL of file `name` in the folder `folder_url`: joined to the path, query kept.
file_url <- function(folder_url, name) {
  parts <- split_url(folder_url)
  if (!endsWith(parts$path, "/")) parts$path <- paste0(parts$path, "/")
  parts$path <- paste0(parts$path, utils::URLencode(name, reserved = TRUE))
  join_url(parts)
}

# `url` with any login replaced by *** and every query value by ***.
redact_url <- function(url) {
  url <- sub("^(([A-Za-z][A-Za-z0-9+.-]*:)?//)?[^/?#@]*@", paste0("\\1", HIDDEN, "@"), url)
  if (!grepl("?", url, fixed = TRUE)) return(url)
  head <- sub("\\?.*$", "", url)
  rest <- sub("^[^?]*\\?", "", url)
  fragment <- if (grepl("#", rest, fixed = TRUE)) sub("^[^#]*", "", rest) else ""
  fields <- strsplit(sub("#.*$", "", rest), "&", fixed = TRUE)[[1]]
  fields <- fields[nzchar(fields)]
  hidden <- ifelse(grepl("=", fields, fixed = TRUE), paste0(sub("=.*$", "", fields), "=", HIDDEN), HIDDEN)
  paste0(head, "?", paste(hidden, collapse = "&"), fragment)
}

# The login and query values of `url`, raw and percent-decoded: what `scrub` hides.
url_secrets <- function(url) {
  parts <- split_url(url)
  if (is.null(parts)) return(character())
  login <- if (grepl("@", parts$netloc, fixed = TRUE)) sub("@[^@]*$", "", parts$netloc) else ""
  values <- c(strsplit(login, ":", fixed = TRUE)[[1]],
              sub("^[^=]*=?", "", strsplit(sub("^\\?", "", parts$query), "[&;]")[[1]]))
  values <- unique(c(values, vapply(values, utils::URLdecode, "")))
  values[nchar(values) >= 3]
}

# `text` with every URL login and query value in it, and each of `secrets`, replaced by ***.
scrub <- function(text, secrets = character()) {
  text <- gsub("([A-Za-z][A-Za-z0-9+.-]*://)[^/[:space:]@'\"<>]+@", paste0("\\1", HIDDEN, "@"), text)
  text <- gsub("([?&;][^=[:space:]&?#'\"<>]*=)[^[:space:]&#'\"<>]+", paste0("\\1", HIDDEN), text)
  for (secret in secrets[order(-nchar(secrets))]) text <- gsub(secret, HIDDEN, text, fixed = TRUE)
  text
}
