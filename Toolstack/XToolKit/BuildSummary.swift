import Foundation

/// What `ImageBuilder.build` made.
public struct BuildSummary: Sendable, Equatable {
    public var hypervisor: URL
    /// Guest images, Dom0 first, then by name (dom0.elf is the default first boot module).
    public var guests: [URL]
    /// How many steps actually ran (0 when everything was up to date).
    public var stepsRun: Int
}
