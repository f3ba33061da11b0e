/// A disk blkback serves: 512-byte sectors, numbered from 0.
protocol BlockDevice: AnyObject {
    var sectorCount: UInt64 { get }
    /// Reads `count` sectors from `sector` into `buffer` (count * 512 bytes); false on a device error.
    func read(sector: UInt64, count: Int, into buffer: UnsafeMutableRawPointer) -> Bool
    func write(sector: UInt64, count: Int, from buffer: UnsafeRawPointer) -> Bool
    /// Makes every completed write durable (ATA FLUSH CACHE).
    func flush() -> Bool
}
