/// A fixed-size array of bits packed into 64-bit words.
///
/// Bits past `bitCount` in the last word always stay clear, so word-level
/// scans never report a bit that does not exist.
struct FrameBitmap {
    static let bitsPerWord = 64

    let bitCount: Int
    private var words: [UInt64]

    init(bitCount: Int) {
        self.bitCount = bitCount
        words = [UInt64](repeating: 0, count: (bitCount + FrameBitmap.bitsPerWord - 1) / FrameBitmap.bitsPerWord)
    }

    var wordCount: Int { words.count }

    func isSet(_ bit: Int) -> Bool {
        words[bit / FrameBitmap.bitsPerWord] & FrameBitmap.mask(of: bit) != 0
    }

    mutating func setBit(_ bit: Int) {
        words[bit / FrameBitmap.bitsPerWord] |= FrameBitmap.mask(of: bit)
    }

    mutating func clearBit(_ bit: Int) {
        words[bit / FrameBitmap.bitsPerWord] &= ~FrameBitmap.mask(of: bit)
    }

    /// Word at a time where possible: setting up a few GiB of RAM bit by bit
    /// would be millions of iterations during boot.
    mutating func setBits(from first: Int, count: Int) {
        FrameBitmap.forEachWordSpan(from: first, count: count) { words[$0] |= $1 }
    }

    mutating func clearBits(from first: Int, count: Int) {
        FrameBitmap.forEachWordSpan(from: first, count: count) { words[$0] &= ~$1 }
    }

    /// The lowest set bit in words `startWord...`, with the word holding it.
    func firstSetBit(fromWord startWord: Int) -> (bit: Int, word: Int)? {
        var index = startWord
        while index < words.count {
            let word = words[index]
            if word != 0 {
                return (index * FrameBitmap.bitsPerWord + word.trailingZeroBitCount, index)
            }
            index += 1
        }
        return nil
    }

    /// The first clear bit in `first ..< first + count`, or nil if all are set.
    func firstClearBit(from first: Int, count: Int) -> Int? {
        var bit = first
        let end = first + count
        while bit < end {
            let wordIndex = bit / FrameBitmap.bitsPerWord
            if bit % FrameBitmap.bitsPerWord == 0, end - bit >= FrameBitmap.bitsPerWord, words[wordIndex] == UInt64.max {
                bit += FrameBitmap.bitsPerWord
                continue
            }
            if !isSet(bit) { return bit }
            bit += 1
        }
        return nil
    }

    /// How many bits in a row are set from `first` on, counting at most
    /// `maximum`: word at a time.
    func setRunLength(from first: Int, maximum: Int) -> Int {
        var bit = first
        let end = min(bitCount, first + maximum)
        while bit < end {
            let offset = bit % FrameBitmap.bitsPerWord
            let ones = (~(words[bit / FrameBitmap.bitsPerWord] >> UInt64(offset))).trailingZeroBitCount
            let run = min(ones, FrameBitmap.bitsPerWord - offset)
            bit += run
            if run < FrameBitmap.bitsPerWord - offset { break }
        }
        return min(bit, end) - first
    }

    /// Whether any bit in `first ..< first + count` is set.
    func anySet(from first: Int, count: Int) -> Bool {
        var found = false
        FrameBitmap.forEachWordSpan(from: first, count: count) { found = found || words[$0] & $1 != 0 }
        return found
    }

    private static func mask(of bit: Int) -> UInt64 {
        1 << UInt64(bit % bitsPerWord)
    }

    /// Calls `body(wordIndex, mask)` for each word touched by the bit span,
    /// with `mask` selecting the span's bits in that word.
    private static func forEachWordSpan(from first: Int, count: Int, _ body: (Int, UInt64) -> Void) {
        var bit = first
        let end = first + count
        while bit < end {
            let offset = bit % bitsPerWord
            let span = min(bitsPerWord - offset, end - bit)
            let spanMask = span == bitsPerWord ? UInt64.max : ((1 << UInt64(span)) - 1) << UInt64(offset)
            body(bit / bitsPerWord, spanMask)
            bit += span
        }
    }
}
