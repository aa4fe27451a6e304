# The four environment variables the Python package reads too, each checked in one place.
# `csto_settings()` validates them all before anything touches the cache or the network.

URL_VARIABLE <- "CSTO_DATASET_URL"
CACHE_VARIABLE <- "CSTO_DATASET_CACHE"
OFFLINE_VARIABLE <- "CSTO_DATASET_OFFLINE"
TIMEOUT_VARIABLE <- "CSTO_DATASET_TIMEOUT"
OFFLINE_WORDS <- c("1", "true", "yes", "on")
ONLINE_WORDS <- c("", "0", "false", "no", "off")
DEFAULT_TIMEOUT <- 300
RELEASE_URL <- "https://github.com/csto-dataset/csto-dataset/releases/download/data-v{version}/"

csto_settings <- function() {
  list(
    offline = offline_setting(),
    timeout = timeout_setting(),
    cache = cache_root(),
    url = url_setting()
  )
}

offline_setting <- function() {
  value <- Sys.getenv(OFFLINE_VARIABLE)
  word <- tolower(trimws(value))
  if (word %in% OFFLINE_WORDS) return(TRUE)
  if (word %in% ONLINE_WORDS) return(FALSE)
  stop(sprintf(
    "%s=%s is not understood: set 1, true, yes or on to stay offline, or 0, false, no or off (or leave it unset) to allow downloads",
    OFFLINE_VARIABLE, shown_value(value)
  ), call. = FALSE)
}

timeout_setting <- function() {
  value <- trimws(Sys.getenv(TIMEOUT_VARIABLE))
  if (!nzchar(value)) return(DEFAULT_TIMEOUT)
  decimal <- grepl("^[+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$", value)
  seconds <- if (decimal) suppressWarnings(as.numeric(value)) else NA
  if (is.na(seconds) || !is.finite(seconds) || seconds <= 0) {
    stop(sprintf(
      "%s=%s is not a number of seconds above 0; set it to the longest a download may take (e.g. 600) or unset it (default %d)",
      TIMEOUT_VARIABLE, shown_value(value), DEFAULT_TIMEOUT
    ), call. = FALSE)
  }
  seconds
}

# The cache folder (nothing is created here): CSTO_DATASET_CACHE, else the folder Python's
# platformdirs.user_cache_dir("csto-dataset", appauthor = FALSE) names, so both share it.
cache_root <- function() {
  configured <- Sys.getenv(CACHE_VARIABLE)
  if (nzchar(configured)) {
    if (grepl("[[:cntrl:]]", configured)) {
      stop(sprintf("%s=%s contains a control character; set it to a folder path",
                   CACHE_VARIABLE, shown_value(configured)), call. = FALSE)
    }
    return(path.expand(configured))
  }
  user_cache_dir()
}

user_cache_dir <- function() {
  sysname <- Sys.info()[["sysname"]]
  if (.Platform$OS.type == "windows") {
    local <- Sys.getenv("LOCALAPPDATA")
    if (!nzchar(local)) local <- file.path(Sys.getenv("USERPROFILE"), "AppData", "Local")
    return(file.path(local, "csto-dataset", "Cache"))
  }
  if (identical(sysname, "Darwin")) return(path.expand("~/Library/Caches/csto-dataset"))
  xdg <- trimws(Sys.getenv("XDG_CACHE_HOME"))
  file.path(if (nzchar(xdg)) xdg else path.expand("~/.cache"), "csto-dataset")
}

# CSTO_DATASET_URL once it is a well-formed http(s) URL; NULL when unset.
url_setting <- function() {
  value <- Sys.getenv(URL_VARIABLE)
  if (!nzchar(value)) return(NULL)
  where <- sprintf("%s=%s", URL_VARIABLE, shown_value(redact_url(value)))
  remedy <- sprintf(
    "set %s to a URL such as https://mirror.example/csto/data-v{version}/ (a login goes in as https://user:password@host/...)",
    URL_VARIABLE
  )
  problem <- url_problem(gsub("{version}", "0.0.0", value, fixed = TRUE))
  if (!is.null(problem)) stop(sprintf("%s %s; %s", where, problem, remedy), call. = FALSE)
  value
}

# A value as a message quotes it: in quotes, and cut short when long.
shown_value <- function(value, limit = 100) {
  if (nchar(value) > limit) value <- paste0(substr(value, 1, limit - 3), "...")
  encodeString(value, quote = "'")
}
