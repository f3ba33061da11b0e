import GuestSupport
import XenPublic

/// A domU that uses what dom0 serves it, as a Xen frontend does: the
/// XenStore (GuestKit's StoreClient) and the PV console (ConsoleRing).
/// Built by the Swift dom0 only (as dom0 there is no store). Its checks:
///
/// - the store knows who it is: `domid` is the id CPUID leaf 0x40000004
///   gives, `name` is the name its command line says (name=...);
/// - it writes, reads back and lists a node of its own (data/greeting);
/// - it cannot write what the toolstack keeps read-only (name: EACCES),
///   nor learn whether another domain's nodes exist (/local/domain/0/name:
///   EACCES, not ENOENT), and a missing node of its own is ENOENT;
/// - a watch fires once when it is set and again when the node changes;
/// - with a disk (a vbd in device/vbd), blkback answers good and bad
///   requests as Xen's does (BlockFrontChecks).
///
/// Then it prints one line through the PV console, which dom0's console
/// backend prints as "[dN name] ...", and the tally ("frontend: N passed,
/// M failed") through console_io. With `wait=shutdown` it then watches
/// control/shutdown and powers off when the toolstack writes "poweroff"
/// there, as Linux's xenbus does; otherwise it powers off at once.
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    let commandLine = StartInfo(address: startInfoAddress)?.commandLine ?? GuestString("")
    var tally = CheckTally(guest: "frontend")
    let store: StoreClient
    do throws(HypercallFailure) {
        store = try StoreClient()
    } catch {
        print("frontend: no store (HVM_PARAM_STORE_PFN/EVTCHN): \(error.name): crashing")
        SchedOp.shutdown(.crash)
    }
    FrontendChecks.identity(&tally, store, expectedName: commandLine.value(ofOption: "name")?.string ?? "")
    FrontendChecks.ownNodes(&tally, store)
    FrontendChecks.permissions(&tally, store)
    FrontendChecks.watch(&tally, store)
    BlockFrontChecks.run(&tally, store)

    do throws(HypercallFailure) {
        let console = try ConsoleRing()
        console.printLine("frontend: hello through the PV console")
    } catch {
        tally.fail("the PV console", because: "no HVM_PARAM_CONSOLE_PFN/EVTCHN")
    }
    tally.printSummary()
    if commandLine.value(ofOption: "wait")?.equals("shutdown") == true {
        FrontendChecks.waitForShutdownRequest(store)
    }
    SchedOp.shutdown(tally.failed == 0 ? .poweroff : .crash)
}

enum FrontendChecks {
    static func identity(_ tally: inout CheckTally, _ store: StoreClient, expectedName: String) {
        let domainID = cpuid(0x4000_0004, 0).ecx
        tally.expect("store domid", got: value(store, "domid"), expected: "\(domainID)")
        tally.expect("store name", got: value(store, "name"), expected: expectedName)
    }

    static func ownNodes(_ tally: inout CheckTally, _ store: StoreClient) {
        tally.expect("write data/greeting", got: outcome { () throws(StoreClientError) in
            try store.write("data/greeting", Array("hello".utf8))
        }, expected: "ok")
        tally.expect("read data/greeting", got: value(store, "data/greeting"), expected: "hello")
        let names = (try? store.directory("data"))?.map { String(decoding: $0, as: UTF8.self) } ?? []
        tally.expect("directory data", got: names.joined(separator: ","), expected: "greeting")
        tally.expect("read data/missing", got: value(store, "data/missing"), expected: "ENOENT")
    }

    static func permissions(_ tally: inout CheckTally, _ store: StoreClient) {
        tally.expect("write the read-only name", got: outcome { () throws(StoreClientError) in
            try store.write("name", Array("forged".utf8))
        }, expected: "EACCES")
        tally.expect("read dom0's nodes", got: value(store, "/local/domain/0/name"), expected: "EACCES")
    }

    static func watch(_ tally: inout CheckTally, _ store: StoreClient) {
        do throws(StoreClientError) {
            try store.watch("data/watched", token: "w1")
            let first = try store.waitForWatchEvent()
            tally.expect("the watch's first event", got: String(decoding: first.1, as: UTF8.self), expected: "w1")
            try store.write("data/watched", Array("1".utf8))
            let change = try store.waitForWatchEvent()
            // The event names the node as the watch did, relative or not.
            let suffix = Array("data/watched".utf8)
            let path = change.0
            let named = path.count >= suffix.count && Array(path[(path.count - suffix.count)...]) == suffix
            tally.expect("the watch's event on a change", got: named ? "data/watched" : String(decoding: path, as: UTF8.self),
                         expected: "data/watched")
        } catch {
            tally.fail("the watch", because: "a store request failed")
        }
    }

    /// Sleeps on a watch of control/shutdown until it says "poweroff".
    static func waitForShutdownRequest(_ store: StoreClient) {
        do throws(StoreClientError) {
            try store.watch("control/shutdown", token: "shutdown")
            while true {
                _ = try store.waitForWatchEvent()
                if Array(value(store, "control/shutdown").utf8) == Array("poweroff".utf8) {
                    print("frontend: the toolstack asks for poweroff: powering off")
                    return
                }
            }
        } catch {
            print("frontend: cannot watch control/shutdown: \(error.name)")
        }
    }

    /// A node's value as text, or the error's name.
    private static func value(_ store: StoreClient, _ path: String) -> String {
        do throws(StoreClientError) {
            return String(decoding: try store.read(path), as: UTF8.self)
        } catch {
            return error.name
        }
    }

    /// "ok", or the error's name.
    private static func outcome(_ body: () throws(StoreClientError) -> Void) -> String {
        do throws(StoreClientError) { try body(); return "ok" } catch { return error.name }
    }
}
