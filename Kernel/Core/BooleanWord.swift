/// The spellings accepted for an explicit boolean value, as in
/// `noreboot=0` or `noreboot=yes`.
enum BooleanWord: BootOptionKeyword {
    case one, zero, yes, no, on, off, enable, disable, `true`, `false`

    var keyword: String {
        switch self {
        case .one: "1"
        case .zero: "0"
        case .yes: "yes"
        case .no: "no"
        case .on: "on"
        case .off: "off"
        case .enable: "enable"
        case .disable: "disable"
        case .true: "true"
        case .false: "false"
        }
    }

    var value: Bool {
        switch self {
        case .one, .yes, .on, .enable, .true: true
        case .zero, .no, .off, .disable, .false: false
        }
    }
}
