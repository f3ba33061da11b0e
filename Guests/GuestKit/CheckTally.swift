/// Counts and prints a test guest's checks, one line each, behind the
/// guest's name: "hostile: NAME: got VALUE, expected VALUE: ok" (or
/// ": FAIL"), and at the end the tally the boot tests look for:
/// "hostile: 41 passed, 0 failed".
struct CheckTally {
    /// The guest's name, the first word of every line.
    let guest: StaticString
    private(set) var passed = 0
    private(set) var failed = 0

    init(guest: StaticString) { self.guest = guest }

    mutating func expect(_ name: StaticString, got: Int64, expected: Int64, inHex: Bool = false) {
        let verdict: StaticString = got == expected ? "ok" : "FAIL"
        print("\(guest): \(name): got \(text(got, inHex)), expected \(text(expected, inHex)): \(verdict)")
        if got == expected { passed += 1 } else { failed += 1 }
    }

    /// The same for a text result, such as a store's value or error name.
    /// Compared byte for byte: String's == needs Unicode tables the
    /// Embedded guests do not link.
    mutating func expect(_ name: StaticString, got: String, expected: String) {
        let same = Array(got.utf8) == Array(expected.utf8)
        let verdict: StaticString = same ? "ok" : "FAIL"
        print("\(guest): \(name): got \"\(got)\", expected \"\(expected)\": \(verdict)")
        if same { passed += 1 } else { failed += 1 }
    }

    /// A check that could not even be run counts as failed.
    mutating func fail(_ name: StaticString, because reason: StaticString) {
        print("\(guest): \(name): \(reason): FAIL")
        failed += 1
    }

    func printSummary() {
        print("\(guest): \(passed) passed, \(failed) failed")
    }

    private func text(_ value: Int64, _ inHex: Bool) -> String {
        inHex ? hex(UInt64(bitPattern: value), digits: 1) : "\(value)"
    }
}
