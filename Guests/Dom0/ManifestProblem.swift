/// Why a manifest line could not be used; the line is skipped.
struct ManifestProblem: Error {
    let message: String

    init(_ message: String) { self.message = message }
}
