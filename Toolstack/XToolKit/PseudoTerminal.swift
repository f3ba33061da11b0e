import Foundation

/// A pseudo-terminal for an emulator's serial port, read from our side.
///
/// Why not a plain file: Bochs writes its serial file through C's stdio,
/// which buffers a file in 4 KiB blocks, so the console would arrive in
/// bursts and its last lines only at exit. A terminal is line-buffered, so
/// every line arrives as it is printed, which streaming and the panic watch
/// (`SilentPanicWatch`) need. Raw mode: bytes pass unchanged.
final class PseudoTerminal: ConsoleSource {
    private let controller: Int32
    /// Held open by us too, so the terminal never hangs up between the
    /// emulator's opening and closing it.
    private let device: Int32
    /// The device path the emulator writes to, e.g. /dev/pts/3.
    let devicePath: String

    /// A fresh terminal, or nil where the host has none to give.
    static func open() -> PseudoTerminal? {
        // posix_openpt is open("/dev/ptmx"); unlockpt and ptsname_r are not
        // in Swift's Glibc module, so they are looked up in the C library.
        guard let unlock = CLibrary.function("unlockpt", as: (@convention(c) (Int32) -> Int32).self),
              let name = CLibrary.function("ptsname_r", as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self)
        else { return nil }
        let controller = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard controller >= 0 else { return nil }
        var pathBuffer = [CChar](repeating: 0, count: 128)
        guard unlock(controller) == 0, name(controller, &pathBuffer, pathBuffer.count) == 0 else {
            close(controller)
            return nil
        }
        let path = String(cString: pathBuffer)
        let device = Glibc.open(path, O_RDWR | O_NOCTTY)
        guard device >= 0 else {
            close(controller)
            return nil
        }
        var settings = termios()
        tcgetattr(device, &settings)
        cfmakeraw(&settings)
        tcsetattr(device, TCSANOW, &settings)
        _ = fcntl(controller, F_SETFL, fcntl(controller, F_GETFL) | O_NONBLOCK)
        return PseudoTerminal(controller: controller, device: device, devicePath: path)
    }

    private init(controller: Int32, device: Int32, devicePath: String) {
        self.controller = controller
        self.device = device
        self.devicePath = devicePath
    }

    /// Everything written since the last call (possibly nothing).
    func readNew() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(controller, &buffer, buffer.count)
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// Sends bytes to whoever reads the device (Bochs' com1 in term mode).
    /// Best effort: what the terminal cannot take at once is dropped.
    func write(_ bytes: Data) {
        bytes.withUnsafeBytes { buffer in
            _ = Glibc.write(controller, buffer.baseAddress, buffer.count)
        }
    }

    deinit {
        close(device)
        close(controller)
    }
}

/// C library functions that Swift's Glibc module does not declare.
private enum CLibrary {
    static func function<T>(_ name: String, as type: T.Type) -> T? {
        guard let library = dlopen(nil, RTLD_NOW), let symbol = dlsym(library, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
