# Each test runs with its own settings and cache: `with_csto_env` sets the CSTO_DATASET_*
# variables (NA: unset), runs `code`, and restores the variables as they were.
with_csto_env <- function(code, url = NA, cache = new_cache(), offline = NA, timeout = NA) {
  values <- c(CSTO_DATASET_URL = url, CSTO_DATASET_CACHE = cache,
              CSTO_DATASET_OFFLINE = offline, CSTO_DATASET_TIMEOUT = timeout)
  old <- Sys.getenv(names(values), unset = NA, names = TRUE)
  on.exit(set_env(old), add = TRUE)
  set_env(values)
  code
}

set_env <- function(values) {
  for (name in names(values)) {
    if (is.na(values[[name]])) {
      Sys.unsetenv(name)
    } else {
      do.call(Sys.setenv, stats::setNames(list(values[[name]]), name))
    }
  }
}

# A cache folder that does not exist yet: the package creates it on its first download.
new_cache <- function() tempfile("csto-cache-")

# Where the test release host serves <version>/<file>; the test is skipped without one.
test_url <- function(variable = "CSTO_TEST_RELEASE_URL") {
  url <- Sys.getenv(variable)
  if (!nzchar(url)) skip(paste(variable, "is not set: these tests need a release host"))
  url
}

# A URL where nothing listens: any download from it fails at once.
DEAD_URL <- "http://127.0.0.1:9/"

trust_root_release <- function(version) {
  path <- system.file("extdata", "releases.json", package = "cstodataset")
  for (release in jsonlite::fromJSON(path, simplifyVector = FALSE)$releases) {
    if (release$version == version) return(release)
  }
}

trust_root_rows <- function(version) unlist(trust_root_release(version)$rows)

trust_root_file <- function(version, name) {
  Filter(function(file) file$name == name, trust_root_release(version)$files)[[1]]
}

cached_descriptor <- function(cache, version) {
  path <- file.path(cache, "v1", version, "datapackage.json")
  jsonlite::read_json(path, simplifyVector = FALSE)
}

R_CLASS <- c(string = "character", integer = "integer", number = "numeric",
             boolean = "logical", date = "Date")

# Change one byte of the file at `path`, keeping its size.
tamper <- function(path) {
  bytes <- readBin(path, "raw", file.size(path))
  bytes[[10]] <- as.raw(bitwXor(as.integer(bytes[[10]]), 1L))
  writeBin(bytes, path)
}
