# The trust root (inst/extdata/releases.json, a copy of the Python package's): every release,
# and the size and SHA-256 of each of its files.

extdata_path <- function(name) {
  path <- system.file("extdata", name, package = "cstodataset")
  if (!nzchar(path)) {
    stop(sprintf("the package's %s is missing; reinstall cstodataset", name), call. = FALSE)
  }
  path
}

# Parsed once per session: the file is part of the installed package.
trust_root <- new.env(parent = emptyenv())

read_trust_root <- function() {
  if (is.null(trust_root$releases)) {
    releases <- jsonlite::fromJSON(extdata_path("releases.json"), simplifyVector = FALSE)$releases
    names(releases) <- vapply(releases, function(release) release$version, "")
    trust_root$releases <- releases[order(numeric_version(names(releases)))]
  }
  trust_root$releases
}

csto_versions <- function() {
  names(read_trust_root())
}

# The trust root's entry for `version` (NULL: the newest release); an error lists the others.
find_release <- function(version = NULL) {
  releases <- read_trust_root()
  if (is.null(version)) return(releases[[length(releases)]])
  if (!is.character(version) || length(version) != 1 || !version %in% names(releases)) {
    shown <- if (is.character(version) && length(version) == 1) shown_value(version) else "given"
    stop(sprintf("data version %s is not a release; known versions: %s",
                 shown, paste(names(releases), collapse = ", ")), call. = FALSE)
  }
  releases[[version]]
}

# The size and hash the trust root records for file `name` of `release`.
release_file <- function(release, name) {
  for (file in release$files) if (identical(file$name, name)) return(file)
  stop(sprintf("%s is not a file of data version %s in the trust root", name, release$version),
       call. = FALSE)
}
