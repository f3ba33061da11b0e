import XenPublic

/// How often each hypercall number gave each result: 0, a positive value,
/// or -errno. Numbers from 64 up share one row, errnos from 128 up one
/// column. Allocated once: counting must not allocate.
struct ResultHistogram {
    static let rows = 65
    static let columns = 130          // 0, positive, -1 ... -127, other negative
    private let counts: UnsafeMutablePointer<UInt32>

    init() {
        counts = UnsafeMutablePointer<UInt32>.allocate(capacity: Self.rows * Self.columns)
        counts.initialize(repeating: 0, count: Self.rows * Self.columns)
    }

    func record(number: UInt64, result: Int64) {
        counts[Self.row(number) * Self.columns + Self.column(result)] &+= 1
    }

    private static func row(_ number: UInt64) -> Int { number < 64 ? Int(number) : 64 }

    private static func column(_ result: Int64) -> Int {
        if result == 0 { return 0 }
        if result > 0 { return 1 }
        return result >= -127 ? 1 + Int(-result) : 129
    }

    private static func columnName(_ column: Int) -> String {
        switch column {
        case 0: "0"
        case 1: ">0"
        case 129: "< -127"
        default: "-\(column - 1)"
        }
    }

    private static func rowName(_ row: Int) -> String {
        row == 64 ? "64 and up" : FuzzedHypercall.name(of: row)
    }

    /// One line per hypercall number that gave anything but -ENOSYS:
    /// "fuzz: memory_op: 12034 calls: 0 x3000 -14 x34 -22 x9000", then one
    /// line for all the numbers that only ever gave -ENOSYS.
    func printTable() {
        let enosys = 1 + Int(XEN_ENOSYS)
        var unimplementedNumbers = 0
        var unimplementedCalls: UInt64 = 0
        for row in 0..<Self.rows {
            var total: UInt64 = 0
            for column in 0..<Self.columns { total += UInt64(counts[row * Self.columns + column]) }
            guard total > 0 else { continue }
            if total == UInt64(counts[row * Self.columns + enosys]) {
                unimplementedNumbers += 1
                unimplementedCalls += total
                continue
            }
            var line = "fuzz: \(Self.rowName(row)): \(total) calls:"
            for column in 0..<Self.columns where counts[row * Self.columns + column] > 0 {
                line += " \(Self.columnName(column)) x\(counts[row * Self.columns + column])"
            }
            print(line)
        }
        print("fuzz: \(unimplementedNumbers) other numbers: \(unimplementedCalls) calls, all -\(XEN_ENOSYS)")
    }
}
