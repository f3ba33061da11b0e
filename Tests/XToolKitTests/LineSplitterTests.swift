import XCTest
@testable import XToolKit

final class LineSplitterTests: XCTestCase {
    func testSplitsAcrossChunksAndDropsCarriageReturns() {
        var splitter = LineSplitter()
        XCTAssertEqual(splitter.feed(Data("(HV) hel".utf8)), [])
        XCTAssertEqual(splitter.feed(Data("lo\r\n(HV) two\r\n(HV) pa".utf8)), ["(HV) hello", "(HV) two"])
        XCTAssertEqual(splitter.feed(Data("rt".utf8)), [])
        XCTAssertEqual(splitter.finish(), "(HV) part")
        XCTAssertNil(splitter.finish())
    }

    func testInvalidUTF8DoesNotStopTheConsole() {
        var splitter = LineSplitter()
        XCTAssertEqual(splitter.feed(Data([0x41, 0xff, 0x42, 0x0a])).count, 1)
    }

    func testShellQuoting() {
        XCTAssertEqual(ShellQuoting.join(["clang", "-c", "a b.c", "it's"]), "clang -c 'a b.c' 'it'\\''s'")
    }
}
