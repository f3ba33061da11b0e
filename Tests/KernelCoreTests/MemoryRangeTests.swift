import XCTest
@testable import KernelCore

final class MemoryRangeTests: XCTestCase {
    private func range(_ start: UInt64, _ end: UInt64) -> MemoryRange {
        MemoryRange(start: start, end: end)
    }

    func testLengthAndEmptiness() {
        XCTAssertEqual(range(0x1000, 0x3000).length, 0x2000)
        XCTAssertFalse(range(0x1000, 0x3000).isEmpty)
        XCTAssertTrue(range(0x1000, 0x1000).isEmpty)
        XCTAssertEqual(range(0x1000, 0x1000).length, 0)
        XCTAssertTrue(range(0x3000, 0x1000).isEmpty, "an inverted range is empty")
        XCTAssertEqual(range(0x3000, 0x1000).length, 0)
    }

    func testInitFromLengthSaturatesOnWrap() {
        XCTAssertEqual(MemoryRange(start: 0x1000, length: 0x2000), range(0x1000, 0x3000))
        XCTAssertEqual(MemoryRange(start: UInt64.max - 10, length: 100).end, UInt64.max)
    }

    func testContainsAddressIsHalfOpen() {
        let r = range(0x1000, 0x2000)
        XCTAssertFalse(r.contains(0xFFF))
        XCTAssertTrue(r.contains(0x1000))
        XCTAssertTrue(r.contains(0x1FFF))
        XCTAssertFalse(r.contains(0x2000))
        XCTAssertFalse(range(5, 5).contains(5))
    }

    func testContainsRange() {
        let r = range(0x1000, 0x4000)
        XCTAssertTrue(r.contains(range(0x1000, 0x4000)))
        XCTAssertTrue(r.contains(range(0x2000, 0x3000)))
        XCTAssertFalse(r.contains(range(0x0, 0x2000)))
        XCTAssertFalse(r.contains(range(0x3000, 0x5000)))
        XCTAssertTrue(r.contains(range(0x4000, 0x4000)), "an empty range at the edge")
        XCTAssertFalse(r.contains(range(0x5000, 0x5000)))
    }

    func testOverlapsIsSymmetricAndExcludesTouching() {
        let a = range(0x1000, 0x2000)
        XCTAssertTrue(a.overlaps(range(0x1FFF, 0x3000)))
        XCTAssertTrue(range(0x1FFF, 0x3000).overlaps(a))
        XCTAssertFalse(a.overlaps(range(0x2000, 0x3000)), "touching is not overlapping")
        XCTAssertFalse(range(0x2000, 0x3000).overlaps(a))
        XCTAssertFalse(a.overlaps(range(0x1800, 0x1800)), "empty ranges overlap nothing")
        XCTAssertTrue(a.overlaps(range(0, UInt64.max)))
    }

    func testIntersection() {
        XCTAssertEqual(range(0x1000, 0x3000).intersection(range(0x2000, 0x4000)), range(0x2000, 0x3000))
        XCTAssertNil(range(0x1000, 0x2000).intersection(range(0x2000, 0x4000)))
    }

    func testPageAlignedInward() {
        XCTAssertEqual(range(0x1001, 0x3FFF).pageAlignedInward(), range(0x2000, 0x3000))
        XCTAssertEqual(range(0x1000, 0x3000).pageAlignedInward(), range(0x1000, 0x3000))
        XCTAssertTrue(range(0x1001, 0x1FFF).pageAlignedInward().isEmpty)
        XCTAssertTrue(range(0x1001, 0x2FFF).pageAlignedInward().isEmpty, "no whole page inside")
        XCTAssertTrue(range(UInt64.max - 5, UInt64.max).pageAlignedInward().isEmpty, "rounding up the start must not wrap")
        XCTAssertEqual(range(0x1001, 0x5000).pageAlignedInward(pageSize: 0x2000), range(0x2000, 0x4000))
    }

    func testPageAlignedOutward() {
        XCTAssertEqual(range(0x1001, 0x2001).pageAlignedOutward(), range(0x1000, 0x3000))
        XCTAssertEqual(range(0x1000, 0x3000).pageAlignedOutward(), range(0x1000, 0x3000))
        XCTAssertTrue(range(0x1800, 0x1800).pageAlignedOutward().isEmpty, "an empty range stays empty")
        XCTAssertEqual(range(0x1000, UInt64.max).pageAlignedOutward().end, UInt64.max & ~0xFFF, "saturates, never wraps")
    }

    func testSubtractingCases() {
        let base = range(0x1000, 0x5000)
        XCTAssertEqual(base.subtracting(range(0x6000, 0x7000)), [base], "disjoint")
        XCTAssertEqual(base.subtracting(range(0, 0x9000)), [], "fully covered")
        XCTAssertEqual(base.subtracting(range(0x2000, 0x3000)), [range(0x1000, 0x2000), range(0x3000, 0x5000)], "hole")
        XCTAssertEqual(base.subtracting(range(0, 0x2000)), [range(0x2000, 0x5000)], "front cut")
        XCTAssertEqual(base.subtracting(range(0x4000, 0x9000)), [range(0x1000, 0x4000)], "back cut")
        XCTAssertEqual(base.subtracting(range(0x2000, 0x2000)), [base], "empty removal")
        XCTAssertEqual(range(3, 3).subtracting(range(0, 10)), [])
    }

    func testSubtractFromList() {
        let list = [range(0x1000, 0x3000), range(0x4000, 0x8000), range(0x9000, 0xA000)]
        let result = MemoryRange.subtract(range(0x2000, 0x5000), from: list)
        XCTAssertEqual(result, [range(0x1000, 0x2000), range(0x5000, 0x8000), range(0x9000, 0xA000)])
    }

    func testNormalizedSortsMergesAndDropsEmpty() {
        let input = [range(0x8000, 0x9000), range(0x1000, 0x2000), range(0x2000, 0x3000),
                     range(0x5000, 0x5000), range(0x1800, 0x2800), range(0x7000, 0x6000)]
        XCTAssertEqual(MemoryRange.normalized(input), [range(0x1000, 0x3000), range(0x8000, 0x9000)])
    }

    /// Subtraction checked byte-class by byte-class against a model: an
    /// address is in the result exactly when it is in some input range and
    /// not in the removed one.
    func testRandomSubtractionAgainstModel() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2000 {
            let list = (0..<Int.random(in: 0...4, using: &generator)).map { _ in randomRange(&generator) }
            let removed = randomRange(&generator)
            let result = MemoryRange.subtract(removed, from: list)
            XCTAssertFalse(result.contains { $0.isEmpty })
            for address in UInt64(0)...64 {
                let expected = list.contains { $0.contains(address) } && !removed.contains(address)
                XCTAssertEqual(result.contains { $0.contains(address) }, expected, "address \(address)")
            }
            let normalized = MemoryRange.normalized(result)
            for (first, second) in zip(normalized, normalized.dropFirst()) {
                XCTAssertLessThan(first.end, second.start, "normalized ranges are sorted and apart")
            }
            for address in UInt64(0)...64 {
                XCTAssertEqual(normalized.contains { $0.contains(address) }, result.contains { $0.contains(address) })
            }
        }
    }

    private func randomRange(_ generator: inout SeededGenerator) -> MemoryRange {
        MemoryRange(start: UInt64.random(in: 0...64, using: &generator), end: UInt64.random(in: 0...64, using: &generator))
    }

    func testDescriptionIsHex() {
        XCTAssertEqual(range(0x100000, 0x7FE0000).description, "0x00100000-0x07fe0000")
    }
}
