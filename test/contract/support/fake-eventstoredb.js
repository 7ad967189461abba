// A minimal in-memory fake of EventStoreDB's gRPC Streams.Read / Streams.Append. It is NOT
// EventStoreDB: it lets the store contract run through the real @eventstore/db-client 6.2.1 (its
// gRPC encoding, errors, streams) where no server can run. Semantics follow the server's source:
// - $all position of a self-committed prepare is (L, L); readAll forwards is inclusive (>= from),
//   backwards exclusive (< from); subscription from a position is exclusive (> from);
// - stream reads carry the $all position (server >= 22.6 behaviour) unless OLD_SERVER is set;
// - append success position = (L_last, L_last); missing stream -> StreamNotFound message.
// The client's own gRPC runtime and generated messages, so both ends speak the same protocol.
const clientDir = require('path').dirname(require.resolve('@eventstore/db-client/package.json'));
const grpc = require(require.resolve('@grpc/grpc-js', { paths: [clientDir] }));
const streamsGrpc = require('@eventstore/db-client/generated/streams_grpc_pb');
const pb = require('@eventstore/db-client/generated/streams_pb');
const shared = require('@eventstore/db-client/generated/shared_pb');

const MAX = 18446744073709551615n;

function createFake(opts = {}) {
  const log = []; // {stream, revision, id, type, contentType, data, meta, pos}
  const streams = new Map(); // name -> last revision
  let nextPos = 1000n;
  const subs = new Set();

  function recorded(e, forStreamRead) {
    const r = new pb.ReadResp.ReadEvent.RecordedEvent();
    const id = new shared.UUID();
    id.setString(e.id);
    r.setId(id);
    const sid = new shared.StreamIdentifier();
    sid.setStreamName(Buffer.from(e.stream));
    r.setStreamIdentifier(sid);
    r.setStreamRevision(e.revision.toString());
    const p = forStreamRead && opts.oldServer ? MAX : e.pos;
    r.setCommitPosition(p.toString());
    r.setPreparePosition(p.toString());
    r.getMetadataMap().set('type', e.type);
    r.getMetadataMap().set('content-type', e.contentType);
    r.getMetadataMap().set('created', '0');
    r.setCustomMetadata(e.meta);
    r.setData(e.data);
    const re = new pb.ReadResp.ReadEvent();
    re.setEvent(r);
    if (!(forStreamRead && opts.oldServer)) re.setCommitPosition(e.pos.toString());
    else re.setNoPosition(new shared.Empty());
    const resp = new pb.ReadResp();
    resp.setEvent(re);
    return resp;
  }

  function matchesFilter(e, filter) {
    if (!filter) return true;
    const expr = filter.hasEventType() ? filter.getEventType() : filter.getStreamIdentifier();
    const subject = filter.hasEventType() ? e.type : e.stream;
    if (expr.getRegex()) return new RegExp(expr.getRegex()).test(subject);
    return expr.getPrefixList().some((p) => subject.startsWith(p));
  }

  const impl = {
    read(call) {
      const o = call.request.getOptions();
      const count = o.hasCount() ? BigInt(o.getCount()) : 0n;
      const backwards = o.getReadDirection() === 1;
      if (o.hasStream()) {
        const so = o.getStream();
        const name = Buffer.from(so.getStreamIdentifier().getStreamName()).toString('utf8');
        if (!streams.has(name)) {
          const nf = new pb.ReadResp.StreamNotFound();
          nf.setStreamIdentifier(so.getStreamIdentifier());
          const resp = new pb.ReadResp();
          resp.setStreamNotFound(nf);
          call.write(resp);
          call.end();
          return;
        }
        let evs = log.filter((e) => e.stream === name);
        if (backwards) {
          evs.reverse();
          if (so.hasRevision()) evs = evs.filter((e) => e.revision <= BigInt(so.getRevision()));
        } else if (so.hasRevision()) evs = evs.filter((e) => e.revision >= BigInt(so.getRevision()));
        evs.slice(0, Number(count)).forEach((e) => call.write(recorded(e, true)));
        call.end();
        return;
      }
      const ao = o.getAll();
      if (o.hasSubscription()) {
        const conf = new pb.ReadResp.SubscriptionConfirmation();
        conf.setSubscriptionId('sub');
        const cr = new pb.ReadResp();
        cr.setConfirmation(conf);
        call.write(cr);
        const filter = o.hasFilter() ? o.getFilter() : null;
        const from = ao.hasPosition() ? BigInt(ao.getPosition().getCommitPosition()) : ao.hasEnd() ? nextPos : -1n;
        for (const e of log) if (e.pos > from && matchesFilter(e, filter)) call.write(recorded(e, false));
        const sub = {
          call,
          filter,
          send: (e) => {
            if (matchesFilter(e, filter)) call.write(recorded(e, false));
          },
        };
        subs.add(sub);
        call.on('cancelled', () => subs.delete(sub));
        return;
      }
      let evs;
      if (backwards) {
        const from = ao.hasPosition() ? BigInt(ao.getPosition().getCommitPosition()) : nextPos + 1n; // END: after the newest
        evs = log.filter((e) => e.pos < from).reverse();
      } else {
        const from = ao.hasPosition() ? BigInt(ao.getPosition().getCommitPosition()) : -1n;
        evs = log.filter((e) => e.pos >= from);
      }
      evs.slice(0, Number(count)).forEach((e) => call.write(recorded(e, false)));
      call.end();
    },
    append(call, callback) {
      let options;
      const proposed = [];
      call.on('data', (req) => {
        if (req.hasOptions()) options = req.getOptions();
        else proposed.push(req.getProposedMessage());
      });
      call.on('end', () => {
        if (opts.appendHangs) return; // never answer
        const name = Buffer.from(options.getStreamIdentifier().getStreamName()).toString('utf8');
        const current = streams.has(name) ? streams.get(name) : -1n;
        let ok;
        if (options.hasNoStream()) ok = current === -1n;
        else if (options.hasStreamExists()) ok = current >= 0n;
        else if (options.hasAny()) ok = true;
        else ok = current === BigInt(options.getRevision());
        const resp = new pb.AppendResp();
        if (!ok) {
          const w = new pb.AppendResp.WrongExpectedVersion();
          if (current >= 0n) w.setCurrentRevision(current.toString());
          else w.setCurrentNoStream(new shared.Empty());
          if (options.hasNoStream()) w.setExpectedNoStream(new shared.Empty());
          else if (options.hasStreamExists()) w.setExpectedStreamExists(new shared.Empty());
          else if (options.hasAny()) w.setExpectedAny(new shared.Empty());
          else w.setExpectedRevision(options.getRevision());
          resp.setWrongExpectedVersion(w);
          callback(null, resp);
          return;
        }
        let rev = current;
        let last;
        for (const m of proposed) {
          rev += 1n;
          nextPos += 100n;
          const e = {
            stream: name,
            revision: rev,
            id: m.getId().getString(),
            type: m.getMetadataMap().get('type'),
            contentType: m.getMetadataMap().get('content-type'),
            data: m.getData_asU8(),
            meta: m.getCustomMetadata_asU8(),
            pos: nextPos,
          };
          log.push(e);
          last = e;
        }
        streams.set(name, rev);
        const s = new pb.AppendResp.Success();
        s.setCurrentRevision(rev.toString());
        const p = new pb.AppendResp.Position();
        p.setCommitPosition(last.pos.toString());
        p.setPreparePosition(last.pos.toString());
        s.setPosition(p);
        resp.setSuccess(s);
        callback(null, resp);
        // live delivery after the ack, like the server (each event separately)
        const appended = log.slice(log.length - proposed.length);
        setImmediate(() => {
          for (const sub of subs) for (const e of appended) sub.send(e);
        });
      });
    },
  };
  const server = new grpc.Server();
  server.addService(streamsGrpc.StreamsService, impl);
  return {
    log,
    streams,
    subs,
    /** append a system-ish event directly (e.g. $stats) */
    systemEvent(stream, type) {
      nextPos += 100n;
      const rev = (streams.get(stream) ?? -1n) + 1n;
      streams.set(stream, rev);
      const e = {
        stream,
        revision: rev,
        id: '00000000-0000-0000-0000-' + String(nextPos).padStart(12, '0'),
        type,
        contentType: 'application/json',
        data: Buffer.from('{}'),
        meta: Buffer.alloc(0),
        pos: nextPos,
      };
      log.push(e);
      for (const sub of subs) sub.send(e);
    },
    dropSubscriptions() {
      for (const sub of subs) {
        sub.call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'node went away' });
      }
      subs.clear();
    },
    start: () =>
      new Promise((res, rej) =>
        server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) =>
          err ? rej(err) : res(port),
        ),
      ),
    stop: () => new Promise((res) => server.tryShutdown(() => res())),
    forceStop: () => server.forceShutdown(),
  };
}
module.exports = { createFake };
