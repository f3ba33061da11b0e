/// The lab markers in the real sources, and the student copy of a file.
///
/// A marked region is the code a student writes in lab N, inside a function
/// body, in a Swift or C file:
///
///     // LAB 3 BEGIN: filter the host's CPUID leaves
///     // LAB 3 STUB: fatalError("lab 3: filter the CPUID leaves (Docs/labs/lab3-vm-exits.md)")
///     ...the solution...
///     // LAB 3 END
///
/// The STUB lines (one or more, right after BEGIN) are comments in the full
/// tree, so the markers change nothing there. In a student copy the solution
/// goes and each STUB line becomes code (its `// LAB N STUB: ` taken off, its
/// indentation kept), so the copy compiles and the stub fails clearly. The
/// BEGIN and END lines stay, to show the student where to write.
public enum LabMarkers {
    public static let prefix = "// LAB "

    /// Lab numbers the catalog knows; a marker naming another is an error.
    public static func parse(_ text: String, file: String, knownLabs: ClosedRange<Int>) throws(LabMarkerError) -> [LabRegion] {
        var regions: [LabRegion] = []
        var open: LabRegion? = nil
        for (index, line) in lines(of: text).enumerated() {
            let lineNumber = index + 1
            guard let marker = try marker(in: line, file: file, line: lineNumber) else {
                if var region = open, region.solutionStart == nil, !region.stubLines.isEmpty {
                    region.solutionStart = lineNumber
                    open = region
                }
                continue
            }
            guard knownLabs.contains(marker.lab) else {
                throw LabMarkerError(file: file, line: lineNumber, problem: .unknownLab(marker.lab))
            }
            switch marker.kind {
            case .begin(let description):
                if let region = open {
                    throw LabMarkerError(file: file, line: lineNumber, problem: .nested(inside: region.lab, openedAt: region.beginLine))
                }
                open = LabRegion(lab: marker.lab, description: description, beginLine: lineNumber)
            case .stub(let code):
                guard var region = open, region.lab == marker.lab else {
                    throw LabMarkerError(file: file, line: lineNumber, problem: .stubOutsideRegion(marker.lab))
                }
                guard region.solutionStart == nil else {
                    throw LabMarkerError(file: file, line: lineNumber, problem: .stubAfterSolution(marker.lab))
                }
                region.stubLines.append(code)
                open = region
            case .end:
                guard var region = open else {
                    throw LabMarkerError(file: file, line: lineNumber, problem: .endWithoutBegin(marker.lab))
                }
                guard region.lab == marker.lab else {
                    throw LabMarkerError(file: file, line: lineNumber, problem: .endOfOtherLab(marker.lab, open: region.lab, openedAt: region.beginLine))
                }
                guard !region.stubLines.isEmpty else {
                    throw LabMarkerError(file: file, line: region.beginLine, problem: .stubMissing(region.lab))
                }
                region.endLine = lineNumber
                regions.append(region)
                open = nil
            }
        }
        if let region = open {
            throw LabMarkerError(file: file, line: region.beginLine, problem: .beginWithoutEnd(region.lab))
        }
        return regions
    }

    /// The file as a student of lab `firstStubbedLab` gets it: the regions of
    /// that lab and of every later one replaced by their stubs; nil stubs none.
    public static func studentText(of text: String, file: String, firstStubbedLab: Int?,
                                   knownLabs: ClosedRange<Int>) throws(LabMarkerError) -> String {
        let regions = try parse(text, file: file, knownLabs: knownLabs)
        guard let first = firstStubbedLab, regions.contains(where: { $0.lab >= first }) else { return text }
        let original = lines(of: text)
        var output: [String] = []
        var next = 0
        for region in regions where region.lab >= first {
            // Everything up to and including BEGIN stays as it is.
            output += original[next..<region.beginLine]
            let beginLine = original[region.beginLine - 1]
            let indentation = String(beginLine.prefix { $0 == " " || $0 == "\t" })
            output += region.stubLines.map { indentation + $0 }
            output.append(original[region.endLine - 1])
            next = region.endLine
        }
        output += original[next...]
        return output.joined(separator: "\n")
    }

    /// Split on "\n" only, keeping a final empty piece, so joining gives the text back.
    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    struct Marker {
        enum Kind {
            case begin(String)
            case stub(String)
            case end
        }
        var lab: Int
        var kind: Kind
    }

    /// The marker on this line, nil for a line that is not one. A line that
    /// starts like one (`// LAB `) but is misspelt is an error, not code: a
    /// typo must not silently leave a solution in a student copy.
    static func marker(in line: String, file: String, line lineNumber: Int) throws(LabMarkerError) -> Marker? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix(prefix) else { return nil }
        let rest = trimmed.dropFirst(prefix.count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let lab = Int(digits) else {
            throw LabMarkerError(file: file, line: lineNumber, problem: .malformed(String(trimmed)))
        }
        let afterNumber = rest.dropFirst(digits.count)
        if afterNumber == " END" { return Marker(lab: lab, kind: .end) }
        if afterNumber.hasPrefix(" BEGIN: "), afterNumber.count > " BEGIN: ".count {
            return Marker(lab: lab, kind: .begin(String(afterNumber.dropFirst(" BEGIN: ".count))))
        }
        if afterNumber.hasPrefix(" STUB: "), afterNumber.count > " STUB: ".count {
            return Marker(lab: lab, kind: .stub(String(afterNumber.dropFirst(" STUB: ".count))))
        }
        throw LabMarkerError(file: file, line: lineNumber, problem: .malformed(String(trimmed)))
    }
}

/// One marked region, by line numbers (from 1) in its file.
public struct LabRegion: Equatable, Sendable {
    public var lab: Int
    public var description: String
    public var beginLine: Int
    public var stubLines: [String] = []
    /// The first line of the solution, after the STUB lines.
    public var solutionStart: Int? = nil
    public var endLine: Int = 0
}

public struct LabMarkerError: Error, Equatable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case malformed(String)
        case unknownLab(Int)
        case nested(inside: Int, openedAt: Int)
        case stubOutsideRegion(Int)
        case stubAfterSolution(Int)
        case stubMissing(Int)
        case endWithoutBegin(Int)
        case endOfOtherLab(Int, open: Int, openedAt: Int)
        case beginWithoutEnd(Int)
    }

    public var file: String
    public var line: Int
    public var problem: Problem

    /// FILE:LINE: message, as compilers print it.
    public var description: String {
        let message: String
        switch problem {
        case .malformed(let text):
            message = "not a lab marker: \"\(text)\" (want \"// LAB N BEGIN: what\", \"// LAB N STUB: code\" or \"// LAB N END\")"
        case .unknownLab(let lab): message = "lab \(lab) is not in the lab catalog"
        case .nested(let outer, let openedAt):
            message = "a lab region cannot open inside another (lab \(outer)'s, opened at line \(openedAt))"
        case .stubOutsideRegion(let lab): message = "LAB \(lab) STUB outside a lab \(lab) region"
        case .stubAfterSolution(let lab):
            message = "LAB \(lab) STUB after solution code: the stub lines come right after BEGIN"
        case .stubMissing(let lab):
            message = "lab \(lab) region has no STUB line: its student copy would not compile or fail clearly"
        case .endWithoutBegin(let lab): message = "LAB \(lab) END without a BEGIN"
        case .endOfOtherLab(let lab, let open, let openedAt):
            message = "LAB \(lab) END inside lab \(open)'s region (opened at line \(openedAt))"
        case .beginWithoutEnd(let lab): message = "LAB \(lab) BEGIN without an END"
        }
        return "\(file):\(line): \(message)"
    }
}
