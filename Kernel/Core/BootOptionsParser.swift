/// Builds `BootOptions` from command-line bytes, one token at a time.
///
/// Lengths are bounded, and so is the number of reported problems, because
/// the input is whatever the boot loader was given and the reports end up
/// on a slow serial console.
struct BootOptionsParser {
    static let maximumNameLength = 32
    static let maximumValueLength = 128
    /// Entries kept in each of `problems` and `unknownOptions`; beyond that
    /// only a count is kept, reported as one final problem.
    static let maximumReports = 16

    private var options = BootOptions()
    private var omittedReports = 0

    mutating func parse(_ commandLine: [UInt8]) -> BootOptions {
        var isFirstToken = true
        for token in CommandLineTokens(commandLine) {
            if isFirstToken && Self.looksLikeImagePath(token) {
                options.imagePath = PrintableText.from(token, limit: 256)
            } else {
                parseOption(token)
            }
            isFirstToken = false
        }
        if omittedReports > 0 {
            options.problems.append("\(omittedReports) more problems or unknown options not listed")
        }
        return options
    }

    /// Multiboot loaders put the image's name first: GRUB the path
    /// ("/boot/hypervisor.elf"), QEMU's -kernel the file name as given
    /// ("hypervisor.elf"). No option has a '/' or '.' without an '='.
    static func looksLikeImagePath(_ token: ArraySlice<UInt8>) -> Bool {
        !token.contains(UInt8(ascii: "="))
            && (token.contains(UInt8(ascii: "/")) || token.contains(UInt8(ascii: ".")))
    }

    private mutating func parseOption(_ token: ArraySlice<UInt8>) {
        let equalsSign = token.firstIndex(of: UInt8(ascii: "="))
        let name = token[token.startIndex..<(equalsSign ?? token.endIndex)]
        let value = equalsSign.map { token[($0 + 1)...] }
        guard !name.isEmpty else {
            return reportProblem("'\(PrintableText.from(token))': an option needs a name before '='")
        }
        guard name.count <= BootOptionsParser.maximumNameLength else {
            return reportProblem("option name '\(PrintableText.from(name, limit: BootOptionsParser.maximumNameLength))' is longer than \(BootOptionsParser.maximumNameLength) bytes")
        }
        if let value, value.count > BootOptionsParser.maximumValueLength {
            return reportProblem("\(PrintableText.from(name)): value is longer than \(BootOptionsParser.maximumValueLength) bytes")
        }
        if let option = BootOptionName.matching(name) {
            apply(option, value: value)
        } else if value == nil, let negated = BootOptionsParser.withoutNegation(name),
                  let option = BootOptionName.matching(negated) {
            applyNegated(option)
        } else {
            reportUnknown(name)
        }
    }

    /// `no-name` becomes `name`; anything else is not a negation.
    private static func withoutNegation(_ name: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let prefix: [UInt8] = [UInt8(ascii: "n"), UInt8(ascii: "o"), UInt8(ascii: "-")]
        guard name.count > prefix.count, name.starts(with: prefix) else { return nil }
        return name.dropFirst(prefix.count)
    }

    private mutating func apply(_ option: BootOptionName, value: ArraySlice<UInt8>?) {
        switch option {
        case .console:
            options.console = keyword(for: option, value) ?? options.console
        case .logLevel:
            options.logLevel = keyword(for: option, value) ?? options.logLevel
        case .testFault:
            options.testFault = keyword(for: option, value) ?? options.testFault
        case .domain0Memory:
            options.domain0Memory = size(for: option, value) ?? options.domain0Memory
        case .noReboot:
            options.noReboot = boolean(for: option, value) ?? options.noReboot
        }
    }

    private mutating func applyNegated(_ option: BootOptionName) {
        guard option.isBoolean else {
            return reportProblem("no-\(option.keyword): \(option.keyword) takes a value and cannot be negated")
        }
        if option == .noReboot { options.noReboot = false }
    }

    private mutating func keyword<Choice: BootOptionKeyword>(for option: BootOptionName,
                                                             _ value: ArraySlice<UInt8>?) -> Choice? {
        guard let value, !value.isEmpty else {
            reportProblem("\(option.keyword): needs a value, one of \(Choice.keywordList)")
            return nil
        }
        guard let choice = Choice.matching(value) else {
            reportProblem("\(option.keyword): '\(PrintableText.from(value))' is not one of \(Choice.keywordList)")
            return nil
        }
        return choice
    }

    private mutating func size(for option: BootOptionName, _ value: ArraySlice<UInt8>?) -> UInt64? {
        guard let value, !value.isEmpty else {
            reportProblem("\(option.keyword): needs a size, such as 64M or 1G")
            return nil
        }
        guard let bytes = MemorySizeText.parse(value), bytes > 0 else {
            reportProblem("\(option.keyword): '\(PrintableText.from(value))' is not a size above zero (bytes, or a number with K, M or G)")
            return nil
        }
        return bytes
    }

    /// A bare boolean option means true; `=value` must be a boolean word.
    private mutating func boolean(for option: BootOptionName, _ value: ArraySlice<UInt8>?) -> Bool? {
        guard let value else { return true }
        guard let word = BooleanWord.matching(value) else {
            reportProblem("\(option.keyword): '\(PrintableText.from(value))' is not a boolean (\(BooleanWord.keywordList))")
            return nil
        }
        return word.value
    }

    private mutating func reportProblem(_ message: String) {
        if options.problems.count < BootOptionsParser.maximumReports {
            options.problems.append(message)
        } else {
            omittedReports += 1
        }
    }

    private mutating func reportUnknown(_ name: ArraySlice<UInt8>) {
        if options.unknownOptions.count < BootOptionsParser.maximumReports {
            options.unknownOptions.append(PrintableText.from(name))
        } else {
            omittedReports += 1
        }
    }
}
