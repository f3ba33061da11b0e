extension Array {
    /// The first index whose element is not `isBelow` the key, for an array
    /// sorted so that every such element comes first (a binary search):
    /// where the key is, or where it would be inserted.
    func lowerBound(_ isBelow: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            if isBelow(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
