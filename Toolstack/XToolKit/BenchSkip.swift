/// A row a bench guest says it could not measure (`bench: skip KEY reason`),
/// e.g. a hypercall the hypervisor it runs on does not offer. Not a
/// problem: that series shows "-" for it, and the reason is printed.
public struct BenchSkip: Sendable, Equatable {
    public var key: String
    public var reason: String

    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }
}
