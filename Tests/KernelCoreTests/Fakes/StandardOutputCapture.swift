#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` with the process's standard output sent to a temporary file
/// and returns what was printed (Core prints its log and the "(HV)
/// domain-end" lines with `print`). Tests run one at a time, so nothing
/// else writes meanwhile.
func captureStandardOutput(_ body: () -> Void) -> String {
    fflush(nil)   // every stream: `stdout` itself is not concurrency-safe to name
    guard let file = tmpfile() else { body(); return "" }
    let saved = dup(STDOUT_FILENO)
    dup2(fileno(file), STDOUT_FILENO)
    body()
    fflush(nil)   // every stream: `stdout` itself is not concurrency-safe to name
    dup2(saved, STDOUT_FILENO)
    close(saved)
    var bytes: [UInt8] = []
    rewind(file)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes += buffer[0..<count]
    }
    fclose(file)
    return String(decoding: bytes, as: UTF8.self)
}
