/// `value` in hexadecimal with a "0x" prefix, at least `digits` digits
/// (zero-padded; more when the value needs them): hex(0x1f, digits: 4) is
/// "0x001f". Built from bytes: no Unicode work needed for ASCII digits.
func hex(_ value: UInt64, digits: Int = 1) -> String {
    let digitCharacters: StaticString = "0123456789abcdef"
    var reversed: [UInt8] = []
    var rest = value
    repeat {
        reversed.append(digitCharacters.utf8Start[Int(rest & 0xF)])
        rest >>= 4
    } while rest != 0 || reversed.count < digits
    return "0x" + String(decoding: reversed.reversed(), as: UTF8.self)
}
