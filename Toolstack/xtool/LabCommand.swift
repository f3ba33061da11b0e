import ArgumentParser
import Foundation
import XToolKit

/// `xtool lab`: hands out a course lab and grades it (Docs/labs/README.md).
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Hand out a course lab (a student copy of the project) and run its checks.",
        subcommands: [LabListCommand.self, LabStartCommand.self, LabCheckCommand.self]
    )
}

/// The lab number, checked against the catalog.
struct LabNumber: ParsableArguments {
    @Argument(help: "The lab, 1 to \(LabCatalog.labs.count).")
    var number: Int

    func lab() throws -> Lab {
        guard let lab = LabCatalog.lab(number) else {
            throw ValidationError("there is no lab \(number): the labs are 1 to \(LabCatalog.labs.count)")
        }
        return lab
    }
}

/// `xtool lab list`
struct LabListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the labs, their texts and how many regions each marks.")

    func run() throws {
        try ExitCodes.translatingErrors {
            let regions = try StudentCopy(root: try ProjectRoot.findFromCurrentDirectory()).regions()
            for lab in LabCatalog.labs {
                let count = regions.values.joined().filter { $0.lab == lab.number }.count
                Reporter.standardOutput.line("lab \(lab.number): \(lab.title) (\(lab.textFile); \(count) regions, \(lab.checks.count) checks)")
            }
        }
    }
}

/// `xtool lab start N DIR`
struct LabStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Write a student copy of the project to DIR: lab N's code (and the later labs') as stubs.",
        discussion: """
        The copy holds every file of the tree except .git, .build and build/, with the regions marked \
        "// LAB M BEGIN" ... "// LAB M END" for M >= N replaced by their stubs, and the lab's text \
        as LAB.md. It builds; the lab's checks fail until the student writes the code. Run \
        "swift run xtool lab check N" in it.
        """
    )

    @OptionGroup var lab: LabNumber
    @Argument(help: "Where to write the copy (made if missing; files the tree lacks are removed).")
    var directory: String

    func run() throws {
        let lab = try lab.lab()
        try ExitCodes.translatingErrors {
            let root = try ProjectRoot.findFromCurrentDirectory()
            let destination = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            guard !destination.path.hasPrefix(root.standardizedFileURL.path + "/") || destination.path.hasPrefix(root.standardizedFileURL.path + "/build/") else {
                throw ValidationError("write the copy outside the project (or under its build/): \(destination.path)")
            }
            let stubbed = try StudentCopy(root: root).write(to: destination, lab: lab)
            Reporter.standardOutput.line("lab \(lab.number): \(lab.title)")
            Reporter.standardOutput.line("wrote \(destination.path) (\(stubbed) files with stubs); read LAB.md, then: cd \(directory) && swift run xtool lab check \(lab.number)")
        }
    }
}

/// `xtool lab check N`
struct LabCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Build this tree and run lab N's checks, each as its own swift test run; print a score.",
        discussion: "Exits 0 only if every check passes. In the full tree every lab passes."
    )

    @OptionGroup var lab: LabNumber
    @Option(help: "SwiftPM's scratch path for the build (default: the tree's .build).")
    var scratchPath: String?

    func run() throws {
        let lab = try lab.lab()
        var score: LabCheckRunner.Score?
        try ExitCodes.translatingErrors {
            let root = try ProjectRoot.findFromCurrentDirectory()
            score = try LabCheckRunner(root: root, scratchPath: scratchPath).check(lab, reporter: .standardOutput)
        }
        if score?.allPassed != true { throw ExitCode(1) }
    }
}
