// Prints the bridge's query catalog (name, set, expression, counter-form expression) as tab-separated lines, read
// by reflection from a built ThanosBridge.Core.dll, so scalebench can name the recorded requests.
//   dotnet fsi --quiet --exec catalog.fsx /path/to/ThanosBridge.Core.dll
open System.Reflection

let asm = Assembly.LoadFrom(fsi.CommandLineArgs.[1])
// Its namespace since the core's stage folders; older builds (--bridge-rev) have it under Core.Catalog.
let catalog =
    match asm.GetType("ThanosBridge.Core.Collection.Catalog.QueryCatalog", false) with
    | null -> asm.GetType("ThanosBridge.Core.Catalog.QueryCatalog", true)
    | t -> t
let all = catalog.GetProperty("All").GetValue(null) :?> System.Collections.IEnumerable
let prop (o: obj) (name: string) =
    if isNull o then null
    else
        match o.GetType().GetProperty(name) with
        | null -> null
        | p -> p.GetValue(o)
let text (o: obj) = if isNull o then "" else (string o).Replace("\t", " ").Replace("\n", " ")
for q in all do
    let counter = prop q "Counter"
    printfn "%s\t%s\t%s\t%s" (text (prop q "Name")) (text (prop q "Set")) (text (prop q "Expression")) (text (prop counter "Expression"))
