import Foundation

extension BootModule {
    /// Throws for the first module whose file is not a readable regular
    /// file (see `ModuleFileProblem`). Called once every module is known,
    /// after the build made the default images, before any emulator starts.
    public static func checkFiles(_ modules: [BootModule]) throws(XToolError) {
        for module in modules {
            if let problem = ModuleFileProblem.of(module.file) {
                throw .unusableModule(path: module.file.path, problem: problem)
            }
        }
    }
}
