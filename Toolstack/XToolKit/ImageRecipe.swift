import Foundation

/// How to make one bootable image: compile steps, then one link step.
public struct ImageRecipe: Sendable, Equatable {
    /// The image's file name, e.g. "hypervisor.elf" or "dom0.elf".
    public var name: String
    public var compileSteps: [BuildStep]
    public var linkStep: BuildStep

    public var output: URL { linkStep.output }
    public var steps: [BuildStep] { compileSteps + [linkStep] }
}
