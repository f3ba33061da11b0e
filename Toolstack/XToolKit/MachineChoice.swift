/// The machine a boot will use, and why (printed as one line).
public struct MachineChoice: Sendable, Equatable {
    public var machine: Machine
    public var reason: String

    public var line: String { "machine: \(machine.rawValue) (\(reason))" }
}
