/* judge-queue.js: the judge's unsent changes, kept on the device in IndexedDB, per judge.

   Three stores, each keyed per judge:
   - "queue":     changes waiting to be sent, in the order they were made (auto-increment seq);
   - "known":     the last value and version the server confirmed for each score or comment, so a
                  page shown from the offline copy builds on what was really saved;
   - "conflicts": changes the server refused because another device changed the same score first,
                  with the server's value and the judge's own, until the judge chooses.

   The page works on an in-memory mirror (synchronous reads); every change is written through to
   IndexedDB in order, and other tabs of the same judge hear about it on a BroadcastChannel.
   When IndexedDB cannot be opened (private browsing in some browsers, storage blocked), the queue
   lives in memory only and ``durable`` is false: the page warns the judge before they start.
   Plain ES5-style script, no dependencies. */
(function () {
  "use strict";

  var DB_NAME = "judging", DB_VERSION = 1;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req;
      try { req = window.indexedDB.open(DB_NAME, DB_VERSION); } catch (e) { reject(e); return; }
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("queue")) {
          db.createObjectStore("queue", {keyPath: "seq", autoIncrement: true}).createIndex("judge", "judge");
        }
        if (!db.objectStoreNames.contains("known")) db.createObjectStore("known", {keyPath: ["judge", "key"]});
        if (!db.objectStoreNames.contains("conflicts")) db.createObjectStore("conflicts", {keyPath: ["judge", "key"]});
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
      req.onblocked = function () { reject(new Error("blocked")); };
    });
  }

  function allOf(db, store, judge) {
    var tx = db.transaction(store, "readonly"), os = tx.objectStore(store);
    var req = store === "queue" ? os.index("judge").getAll(judge)
      : os.getAll(IDBKeyRange.bound([judge, ""], [judge, "\uffff"]));
    return request(req);
  }

  function Queue(judge, db) {
    this.judge = judge;
    this.db = db;
    this.durable = !!db;
    this.items = [];      // mirror of "queue", in seq order
    this.known = {};      // key -> {value, version}
    this.conflicts = {};  // key -> conflict
    this.listeners = [];
    this.chain = Promise.resolve();
    this.memorySeq = 1;
    this.channel = window.BroadcastChannel ? new BroadcastChannel("judging-queue-" + judge) : null;
    var self = this;
    if (this.channel) this.channel.onmessage = function () { self.reload().then(function () { self.emit(true); }); };
  }

  Queue.prototype.reload = function () {
    var self = this;
    if (!this.db) return Promise.resolve();
    return Promise.all([allOf(this.db, "queue", this.judge), allOf(this.db, "known", this.judge),
      allOf(this.db, "conflicts", this.judge)]).then(function (r) {
      self.items = r[0].sort(function (a, b) { return a.seq - b.seq; });
      self.known = {}; self.conflicts = {};
      r[1].forEach(function (k) { self.known[k.key] = k; });
      r[2].forEach(function (c) { self.conflicts[c.key] = c; });
    });
  };

  Queue.prototype.onChange = function (fn) { this.listeners.push(fn); };
  Queue.prototype.emit = function (remote) {
    for (var i = 0; i < this.listeners.length; i++) this.listeners[i](!!remote);
  };

  /* Run ``fn(stores)`` in one read-write transaction (in order after the previous write), then
     tell the other tabs. Without IndexedDB the mirror is all there is. */
  Queue.prototype.write = function (names, fn) {
    var self = this;
    if (!this.db) { this.emit(); return Promise.resolve(); }
    this.chain = this.chain.then(function () {
      return new Promise(function (resolve, reject) {
        var tx = self.db.transaction(names, "readwrite"), stores = {};
        names.forEach(function (n) { stores[n] = tx.objectStore(n); });
        fn(stores);
        tx.oncomplete = function () { resolve(); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    }).then(function () { if (self.channel) self.channel.postMessage("changed"); },
      function (err) { self.durable = false; self.emit(); throw err; });
    this.emit();
    return this.chain;
  };

  Queue.prototype.count = function () { return this.items.length; };

  Queue.prototype.add = function (item) {
    item.judge = this.judge;
    item.at = Date.now();
    this.items.push(item);
    if (!this.db) { item.seq = this.memorySeq++; this.emit(); return Promise.resolve(item); }
    return this.write(["queue"], function (s) {
      var copy = JSON.parse(JSON.stringify(item));
      delete copy.seq;
      s.queue.add(copy).onsuccess = function (ev) { item.seq = ev.target.result; };
    }).then(function () { return item; }, function () { return item; });
  };

  Queue.prototype.update = function (item) {
    return this.write(["queue"], function (s) { if (item.seq != null) s.queue.put(JSON.parse(JSON.stringify(item))); });
  };

  Queue.prototype.remove = function (items) {
    this.items = this.items.filter(function (i) {
      return !items.some(function (d) { return d === i || (d.seq != null && d.seq === i.seq); });
    });
    // The seq is read when the write runs: an item's own add has completed by then.
    return this.write(["queue"], function (s) { items.forEach(function (i) { if (i.seq != null) s.queue.delete(i.seq); }); });
  };

  Queue.prototype.ofKey = function (key) {
    return this.items.filter(function (i) { return i.key === key; });
  };

  Queue.prototype.setKnown = function (key, value, version) {
    var rec = {judge: this.judge, key: key, value: value, version: version};
    var old = this.known[key];
    if (old && old.version > version) return Promise.resolve();
    this.known[key] = rec;
    return this.write(["known"], function (s) { s.known.put(rec); });
  };

  Queue.prototype.putConflict = function (conflict) {
    conflict.judge = this.judge;
    this.conflicts[conflict.key] = conflict;
    return this.write(["conflicts"], function (s) { s.conflicts.put(conflict); });
  };

  Queue.prototype.dropConflict = function (key) {
    if (!this.conflicts[key]) return Promise.resolve();
    delete this.conflicts[key];
    var judge = this.judge;
    return this.write(["conflicts"], function (s) { s.conflicts.delete([judge, key]); });
  };

  Queue.prototype.conflictList = function () {
    var self = this;
    return Object.keys(this.conflicts).map(function (k) { return self.conflicts[k]; });
  };

  /* Forget what this device knows about the judge (sign-out). ``keep``: unsent changes and
     unresolved conflicts stay for the next sign-in of the same judge on this device. */
  Queue.prototype.forget = function (keep) {
    var judge = this.judge, self = this;
    var items = this.items.slice(), conflicts = this.conflictList();
    this.known = {};
    if (!keep) { this.items = []; this.conflicts = {}; }
    return this.write(keep ? ["known"] : ["queue", "known", "conflicts"], function (s) {
      s.known.delete(IDBKeyRange.bound([judge, ""], [judge, "\uffff"]));
      if (keep) return;
      conflicts.forEach(function (c) { s.conflicts.delete([judge, c.key]); });
      items.forEach(function (i) { if (i.seq != null) s.queue.delete(i.seq); });
    }).then(function () { return self; });
  };

  /* The queue of earlier versions lived in localStorage: carry it over once. */
  function adopt(queue) {
    var old = "judging.queue." + queue.judge, list;
    try { list = JSON.parse(window.localStorage.getItem(old) || "[]"); } catch (e) { return Promise.resolve(); }
    if (!Array.isArray(list) || !list.length) return Promise.resolve();
    return Promise.all(list.map(function (item) { delete item.id; return queue.add(item); })).then(function () {
      try { window.localStorage.removeItem(old); } catch (e) { /* nothing to clean */ }
    });
  }

  window.JudgingQueue = {
    /* Resolve to the judge's queue (never rejects: without IndexedDB, a memory-only queue). */
    open: function (judge) {
      judge = String(judge);
      return openDb().then(function (db) {
        var q = new Queue(judge, db);
        return q.reload().then(function () { return adopt(q); }).then(function () { return q; });
      }, function () {
        return new Queue(judge, null);
      });
    }
  };
})();
