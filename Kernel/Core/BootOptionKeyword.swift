/// A boot option value spelled as one word from a fixed set, such as the
/// levels of `loglvl=`.
///
/// Matching compares UTF-8 bytes, never `String`s: String equality needs
/// Unicode normalization tables that the hypervisor image does not link.
protocol BootOptionKeyword: CaseIterable {
    /// The word as typed on the command line.
    var keyword: String { get }
}

extension BootOptionKeyword {
    static func matching(_ bytes: ArraySlice<UInt8>) -> Self? {
        for candidate in allCases where candidate.keyword.utf8.elementsEqual(bytes) {
            return candidate
        }
        return nil
    }

    /// "none, error, warning" style, for messages that list the choices.
    static var keywordList: String {
        var list = ""
        for candidate in allCases {
            if !list.isEmpty { list += ", " }
            list += candidate.keyword
        }
        return list
    }
}
