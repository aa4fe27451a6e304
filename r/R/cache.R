# The download cache, laid out as Python's: <root>/v1/<version>/<file>. A file enters it
# only through a temporary file in the same folder, renamed into place once verified, and
# every read from it is verified again against the trust root.

LAYOUT <- "v1"

cache_folder <- function(settings, version) {
  file.path(settings$cache, LAYOUT, version)
}

# The path of a verified copy of file `name` of `release` in the cache; downloads it when
# it is missing or changed, unless offline.
cached_file <- function(settings, release, name) {
  expected <- release_file(release, name)
  folder <- cache_folder(settings, release$version)
  path <- file.path(folder, name)
  state <- file_state(path, expected)
  if (state == "verified") return(path)
  if (state == "changed") unlink(path)  # an unverified file never stays in the cache
  if (settings$offline) {
    stop(sprintf(
      "%s of data version %s is %s in the cache %s and offline mode is on (%s=%s); unset %s to download it",
      name, release$version, if (state == "changed") "changed (removed)" else "missing", folder,
      OFFLINE_VARIABLE, Sys.getenv(OFFLINE_VARIABLE), OFFLINE_VARIABLE
    ), call. = FALSE)
  }
  download_into_cache(settings, release, expected, folder)
  path
}

# "verified", "missing" or "changed": whether the file at `path` has the expected size and hash.
file_state <- function(path, expected) {
  info <- file.info(path, extra_cols = FALSE)
  if (is.na(info$size) || isTRUE(info$isdir)) return("missing")
  if (info$size != expected$bytes) return("changed")
  if (!identical(sha256(path), expected$sha256)) return("changed")
  "verified"
}

sha256 <- function(path) digest::digest(file = path, algo = "sha256")

download_into_cache <- function(settings, release, expected, folder) {
  if (!dir.exists(folder)) dir.create(folder, recursive = TRUE, showWarnings = FALSE)
  if (!dir.exists(folder)) {
    stop(sprintf("cannot create the cache folder %s; set %s to a folder you can write to",
                 folder, CACHE_VARIABLE), call. = FALSE)
  }
  name <- expected$name
  url <- file_url(release_folder_url(release$version, settings$url), name)
  # Named like Python's temporary files, so that the Python package removes a killed download's.
  temporary <- tempfile(paste0(".", name, "."), tmpdir = folder, fileext = ".part")
  on.exit(unlink(temporary), add = TRUE)
  message(sprintf("Downloading %s of data version %s (%.0f kB)",
                  name, release$version, expected$bytes / 1e3))
  fetch(url, temporary, settings$timeout)
  size <- file.size(temporary)
  actual <- sha256(temporary)
  if (!identical(size, as.numeric(expected$bytes)) || !identical(actual, expected$sha256)) {
    stop(sprintf(
      "%s of data version %s downloaded from %s does not match the trust root: expected %.0f bytes with sha256 %s, got %.0f bytes with sha256 %s; nothing was kept",
      name, release$version, redact_url(url), expected$bytes, expected$sha256, size, actual
    ), call. = FALSE)
  }
  if (!file.rename(temporary, file.path(folder, name))) {
    stop(sprintf("cannot move the download of %s into the cache folder %s", name, folder),
         call. = FALSE)
  }
  invisible(TRUE)
}
