@testable import KernelCore

/// Parses an in-memory image, returning the error instead of throwing, so
/// tests can compare the exact outcome.
func parseElf(_ file: [UInt8]) -> Result<ElfImage, ElfError> {
    file.withUnsafeBytes { buffer in
        do throws(ElfError) { return .success(try ElfImage(buffer)) } catch { return .failure(error) }
    }
}
