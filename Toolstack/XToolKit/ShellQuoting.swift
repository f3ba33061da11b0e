/// Quotes arguments the way a POSIX shell reads them, so a printed or recorded
/// command line can be pasted into a terminal.
public enum ShellQuoting {
    public static func quote(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": true
            case "_", "-", ".", "/", "=", ":", ",", "+", "@", "%": true
            default: false
            }
        }
        if plain { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    public static func join(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }
}
