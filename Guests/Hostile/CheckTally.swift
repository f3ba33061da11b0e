/// Counts and prints the hostile guest's checks, one line each:
/// "hostile: NAME: got VALUE, expected VALUE: ok" (or ": FAIL").
struct CheckTally {
    private(set) var passed = 0
    private(set) var failed = 0

    mutating func expect(_ name: StaticString, got: Int64, expected: Int64, inHex: Bool = false) {
        let verdict: StaticString = got == expected ? "ok" : "FAIL"
        print("hostile: \(name): got \(text(got, inHex)), expected \(text(expected, inHex)): \(verdict)")
        if got == expected { passed += 1 } else { failed += 1 }
    }

    /// A check that could not even be run counts as failed.
    mutating func fail(_ name: StaticString, because reason: StaticString) {
        print("hostile: \(name): \(reason): FAIL")
        failed += 1
    }

    func printSummary() {
        print("hostile: \(passed) passed, \(failed) failed")
    }

    private func text(_ value: Int64, _ inHex: Bool) -> String {
        inHex ? hex(UInt64(bitPattern: value), digits: 1) : "\(value)"
    }
}
