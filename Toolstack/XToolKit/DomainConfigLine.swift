import Foundation

/// One line of a domain config, split into key and value. Syntax only: what
/// the keys mean is `DomainConfigParser`'s business.
///
///     # a comment           blank lines and comments are skipped
///     name = "alpha"        a string: double quotes; \" and \\ inside
///     memory = 32           an integer: decimal digits, maybe a leading -
///     vcpus = 1  # note     a comment may follow the value
///     disk = [ "a", "b" ]   a list of strings (xl's), on one line; [] is empty
enum DomainConfigLine: Equatable {
    case blank
    case assignment(key: String, value: Value)

    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case list([String])
    }

    /// The line, or a message saying what is wrong with its syntax.
    static func parse(_ line: Substring) -> Result<DomainConfigLine, SyntaxError> {
        var scanner = Scanner(line)
        scanner.skipSpaces()
        if scanner.atEnd || scanner.peek == "#" {
            return .success(.blank)
        }
        let key = scanner.take(while: isKeyCharacter)
        guard !key.isEmpty else {
            return .failure(SyntaxError("expected `key = value`, found \"\(line.trimmed)\""))
        }
        scanner.skipSpaces()
        guard scanner.peek == "=" else {
            return .failure(SyntaxError("expected `=` after \(key)"))
        }
        scanner.advance()
        scanner.skipSpaces()
        let value: Value
        switch scanner.peek {
        case nil, "#":
            return .failure(SyntaxError("\(key) has no value after `=`"))
        case "\"":
            switch readString(&scanner) {
            case .success(let text): value = .string(text)
            case .failure(let error): return .failure(error)
            }
        case "[":
            switch readList(&scanner) {
            case .success(let items): value = .list(items)
            case .failure(let error): return .failure(error)
            }
        default:
            switch readInteger(&scanner) {
            case .success(let number): value = .integer(number)
            case .failure(let error): return .failure(error)
            }
        }
        scanner.skipSpaces()
        if !scanner.atEnd && scanner.peek != "#" {
            return .failure(SyntaxError("unexpected text after the value of \(key): \"\(scanner.rest.trimmed)\""))
        }
        return .success(.assignment(key: key, value: value))
    }

    struct SyntaxError: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }

    /// A double-quoted string; the scanner stands on its opening quote.
    private static func readString(_ scanner: inout Scanner) -> Result<String, SyntaxError> {
        scanner.advance()
        var text = ""
        while let character = scanner.peek {
            scanner.advance()
            switch character {
            case "\"":
                return .success(text)
            case "\\":
                guard let escaped = scanner.peek else { break }
                guard escaped == "\"" || escaped == "\\" else {
                    return .failure(SyntaxError("unknown escape \\\(escaped) in a string (only \\\" and \\\\ are allowed)"))
                }
                scanner.advance()
                text.append(escaped)
            default:
                text.append(character)
            }
        }
        return .failure(SyntaxError("a string is not closed: add a `\"` at its end"))
    }

    /// `[ "a", "b" ]`: strings separated by commas (a trailing comma is
    /// allowed, as in xl); the scanner stands on the `[`. The list ends on
    /// its line.
    private static func readList(_ scanner: inout Scanner) -> Result<[String], SyntaxError> {
        scanner.advance()
        var items: [String] = []
        while true {
            scanner.skipSpaces()
            switch scanner.peek {
            case "]":
                scanner.advance()
                return .success(items)
            case "\"":
                switch readString(&scanner) {
                case .success(let text): items.append(text)
                case .failure(let error): return .failure(error)
                }
            case nil, "#":
                return .failure(SyntaxError("a list is not closed: end it with `]` on the same line"))
            default:
                return .failure(SyntaxError("a list holds \"strings\" separated by commas, found \"\(scanner.rest.trimmed)\""))
            }
            scanner.skipSpaces()
            switch scanner.peek {
            case ",": scanner.advance()
            case "]": continue
            case nil, "#": return .failure(SyntaxError("a list is not closed: end it with `]` on the same line"))
            default: return .failure(SyntaxError("expected `,` or `]` after a string in a list, found \"\(scanner.rest.trimmed)\""))
            }
        }
    }

    /// A bare word that must be a decimal integer.
    private static func readInteger(_ scanner: inout Scanner) -> Result<Int, SyntaxError> {
        let word = scanner.take { !$0.isWhitespace && $0 != "#" }
        let digits = word.hasPrefix("-") ? word.dropFirst() : Substring(word)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(SyntaxError("\(word) is neither an integer nor a \"string\" (strings need double quotes)"))
        }
        guard let number = Int(word) else {
            return .failure(SyntaxError("\(word) is too large for an integer"))
        }
        return .success(number)
    }

    /// Walks a line character by character.
    struct Scanner {
        private let text: Substring
        private var index: Substring.Index

        init(_ text: Substring) {
            self.text = text
            self.index = text.startIndex
        }

        var atEnd: Bool { index == text.endIndex }
        var peek: Character? { atEnd ? nil : text[index] }
        var rest: Substring { text[index...] }

        mutating func advance() {
            if !atEnd { index = text.index(after: index) }
        }

        mutating func skipSpaces() {
            _ = take(while: { $0 == " " || $0 == "\t" })
        }

        mutating func take(while accepts: (Character) -> Bool) -> String {
            let start = index
            while let character = peek, accepts(character) { advance() }
            return String(text[start..<index])
        }
    }
}

private extension Substring {
    var trimmed: String { String(self).trimmingCharacters(in: .whitespaces) }
}
