//! Fashion-MNIST by the slice, in the worker: only the shards a run needs
//! (`data::shards`), a few at a time, each checked against the build's
//! manifest before it is used. One that arrives wrong (cut short, another
//! checksum) is fetched once more from the network, past the HTTP cache,
//! and then named; good ones are kept in the Cache API, so a reload, or a
//! visit without a connection, takes them from there. The worker holds a
//! prefix of each split (the first k shards), as a run on a subset uses
//! the first images; asked for more, it fetches only what it lacks.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::Cache;

use crate::data::Dataset;
use crate::data::shards::{FOLDER, MANIFEST, Manifest, Shard, ShardProblem};
use crate::protocol::{DataLoadError, DownloadError, Images, Offline};
use crate::web::fetch::{Fetch, Source, cached, download, forget, open_cache, store};

/// Shards fetched at once: enough to fill a link with a long round trip,
/// few enough that the first ones (what a subset run needs) come first.
const LANES: usize = 4;

/// What the worker holds of the shards: the manifest they came by, and how
/// many shards of each split, from the first.
#[derive(Clone, Debug)]
pub struct Held {
    manifest: Manifest,
    manifest_from_cache: bool,
    /// Shards held of the training and the test split.
    shards: [usize; 2],
}

impl Held {
    /// Whether every shard of both splits is held.
    pub fn all(&self) -> bool {
        self.shards == [self.manifest.train.shards.len(), self.manifest.test.shards.len()]
    }
}

/// How a load ended.
pub enum Outcome {
    /// The sets hold what was asked for; the new shards came from here.
    Done(Source),
    /// The site has no shards: load the canonical files whole.
    NoShards,
}

/// Why one shard (or the manifest) did not come.
#[derive(Debug)]
enum Failure {
    /// No connection (and no copy in the cache).
    Offline,
    /// The server has no such file: the cached manifest is of other shards.
    Missing,
    /// It came wrong twice.
    Shard {
        file: String,
        problem: ShardProblem,
    },
    Download(DownloadError),
    Load(DataLoadError),
}

impl Failure {
    /// Which failure a load reports when several shards failed.
    fn rank(&self) -> u8 {
        match self {
            Failure::Shard { .. } | Failure::Load(_) => 0,
            Failure::Download(_) => 1,
            Failure::Missing => 2,
            Failure::Offline => 3,
        }
    }
}

/// Brings `sets` (training, test) up to at least `wanted` images (all of
/// them without), fetching the shards under `base_url` that `held` lacks.
/// `progress(loaded, total)` follows the bytes of the shards fetched now.
/// On a failure the sets keep every shard that did come, in order.
pub async fn extend(
    base_url: &str,
    held: &mut Option<Held>,
    sets: &mut (Dataset, Dataset),
    wanted: Option<Images>,
    progress: Rc<RefCell<dyn FnMut(u64, u64)>>,
) -> Result<Outcome, DataLoadError> {
    let cache = open_cache().await;
    let offline = |sets: &(Dataset, Dataset)| {
        DataLoadError::NeedsConnection(Offline {
            here: Images {
                train: sets.0.len(),
                test: sets.1.len(),
            },
            needs: wanted.filter(|wanted| !wanted.covers(Images::ALL)),
        })
    };
    // A manifest from the cache may be of shards the server no longer has
    // (the data was rebuilt): then once more, with the server's.
    for fresh in [false, true] {
        if held.is_none() || fresh {
            let (manifest, from_cache) = match manifest(base_url, cache.as_ref(), fresh).await {
                Ok(Some(found)) => found,
                Ok(None) if held.is_none() => return Ok(Outcome::NoShards),
                Ok(None) => {
                    return Err(DataLoadError::Download(not_found(&format!(
                        "{base_url}{MANIFEST}"
                    ))));
                }
                Err(Failure::Offline) => return Err(offline(sets)),
                Err(failure) => return Err(report(failure, sets, &offline)),
            };
            let kept = held
                .as_ref()
                .filter(|held| held.manifest == manifest)
                .map(|held| held.shards);
            if kept.is_none() {
                *sets = (empty(), empty());
            }
            *held = Some(Held {
                manifest,
                manifest_from_cache: from_cache,
                shards: kept.unwrap_or([0, 0]),
            });
        }
        let Some(now) = held.as_mut() else { break };
        match fetch_missing(base_url, cache.as_ref(), now, sets, wanted, progress.clone()).await {
            Ok(source) => return Ok(Outcome::Done(source)),
            Err(Failure::Missing) if !fresh && now.manifest_from_cache => continue,
            Err(failure) => return Err(report(failure, sets, &offline)),
        }
    }
    Err(DataLoadError::Download(not_found(&format!(
        "{base_url}{MANIFEST}"
    ))))
}

fn empty() -> Dataset {
    Dataset::new(vec![], vec![]).expect("no images, no labels")
}

fn not_found(url: &str) -> DownloadError {
    DownloadError::Status {
        url: url.to_string(),
        status: 404,
        text: "Not Found".to_string(),
    }
}

fn report(
    failure: Failure,
    sets: &(Dataset, Dataset),
    offline: &impl Fn(&(Dataset, Dataset)) -> DataLoadError,
) -> DataLoadError {
    match failure {
        Failure::Offline => offline(sets),
        Failure::Missing => DataLoadError::Download(not_found(MANIFEST)),
        Failure::Shard { file, problem } => DataLoadError::Shard { file, problem },
        Failure::Download(error) => DataLoadError::Download(error),
        Failure::Load(error) => error,
    }
}

/// The manifest, from the cache unless `fresh`, else from the server (and
/// kept); `None` where the site has none.
async fn manifest(
    base_url: &str,
    cache: Option<&Cache>,
    fresh: bool,
) -> Result<Option<(Manifest, bool)>, Failure> {
    let url = format!("{base_url}{MANIFEST}");
    if !fresh
        && let Some(cache) = cache
        && let Some(bytes) = cached(cache, &url).await
        && let Ok(manifest) = Manifest::parse(&bytes)
    {
        return Ok(Some((manifest, true)));
    }
    let how = if fresh { Fetch::Reload } else { Fetch::Normal };
    match download(&url, how, &mut |_, _| {}).await {
        Ok(mut bytes) => {
            let manifest = Manifest::parse(&bytes)
                .map_err(|problem| Failure::Load(DataLoadError::Manifest { problem }))?;
            if let Some(cache) = cache {
                let _ = store(cache, &url, &mut bytes).await;
            }
            Ok(Some((manifest, false)))
        }
        Err(DownloadError::Status { status: 404, .. }) => Ok(None),
        Err(DownloadError::CouldNotFetch { .. }) => Err(Failure::Offline),
        Err(error) => Err(Failure::Download(error)),
    }
}

/// What fetching one shard gave: its examples and where they came from.
type Fetched = Result<(Dataset, Source), Failure>;

/// One shard to fetch: its split (0 training, 1 test) and where it is.
struct Job {
    split: usize,
    shard: Shard,
    url: String,
}

/// The shards being fetched, shared by the lanes that fetch them.
struct Lanes {
    jobs: Vec<Job>,
    next: Cell<usize>,
    results: RefCell<Vec<Option<Fetched>>>,
    cache: Option<Cache>,
    /// A fetch found no connection: the rest come from the cache or not.
    offline: Cell<bool>,
    loaded: Cell<i64>,
    total: u64,
    progress: Rc<RefCell<dyn FnMut(u64, u64)>>,
}

impl Lanes {
    fn add(&self, bytes: i64) {
        self.loaded.set(self.loaded.get() + bytes);
        (self.progress.borrow_mut())(self.loaded.get().max(0) as u64, self.total);
    }
}

/// Fetches the shards `held` lacks for `wanted`, appends those that came
/// (in order, up to the first that did not) and says where they came from.
async fn fetch_missing(
    base_url: &str,
    cache: Option<&Cache>,
    held: &mut Held,
    sets: &mut (Dataset, Dataset),
    wanted: Option<Images>,
    progress: Rc<RefCell<dyn FnMut(u64, u64)>>,
) -> Result<Source, Failure> {
    let wanted = wanted.unwrap_or(Images::ALL);
    let splits = [&held.manifest.train, &held.manifest.test];
    let needed = [
        splits[0].shards_for(wanted.train),
        splits[1].shards_for(wanted.test),
    ];
    let jobs: Vec<Job> = (0..2)
        .flat_map(|split| {
            splits[split].shards[held.shards[split]..needed[split].max(held.shards[split])]
                .iter()
                .map(move |shard| Job {
                    split,
                    shard: shard.clone(),
                    url: format!("{base_url}{FOLDER}{}", shard.file),
                })
        })
        .collect();
    if jobs.is_empty() {
        return Ok(Source::Cache);
    }
    let lanes = Rc::new(Lanes {
        total: jobs.iter().map(|job| job.shard.bytes).sum(),
        results: RefCell::new((0..jobs.len()).map(|_| None).collect()),
        jobs,
        next: Cell::new(0),
        cache: cache.cloned(),
        offline: Cell::new(false),
        loaded: Cell::new(0),
        progress,
    });
    lanes.add(0);
    let running: Array = (0..LANES.min(lanes.jobs.len()))
        .map(|_| {
            let lanes = lanes.clone();
            JsValue::from(future_to_promise(async move {
                lane(&lanes).await;
                Ok(JsValue::UNDEFINED)
            }))
        })
        .collect();
    let _ = JsFuture::from(Promise::all(&running)).await;

    let results = lanes.results.take();
    let mut source = Source::Cache;
    let mut failure: Option<Failure> = None;
    let mut gap = [false, false];
    for (job, result) in lanes.jobs.iter().zip(results) {
        match result.unwrap_or(Err(Failure::Offline)) {
            Ok((set, from)) if !gap[job.split] => {
                if from == Source::Network {
                    source = Source::Network;
                }
                let into = if job.split == 0 { &mut sets.0 } else { &mut sets.1 };
                into.append(set);
                held.shards[job.split] += 1;
            }
            Ok(_) => {}
            Err(this) => {
                gap[job.split] = true;
                if failure.as_ref().is_none_or(|worst| this.rank() < worst.rank()) {
                    failure = Some(this);
                }
            }
        }
    }
    failure.map_or(Ok(source), Err)
}

/// Takes the next shard to fetch until none is left.
async fn lane(lanes: &Lanes) {
    loop {
        let index = lanes.next.get();
        let Some(job) = lanes.jobs.get(index) else {
            return;
        };
        lanes.next.set(index + 1);
        let result = one(lanes, job).await;
        lanes.results.borrow_mut()[index] = Some(result);
    }
}

/// One shard: from the cache where a good copy is there, else from the
/// network, once more past the HTTP cache if it came wrong.
async fn one(lanes: &Lanes, job: &Job) -> Fetched {
    let url = &job.url;
    if let Some(cache) = &lanes.cache
        && let Some(bytes) = cached(cache, url).await
    {
        match job.shard.decode(&bytes) {
            Ok(set) => {
                lanes.add(bytes.len() as i64);
                return Ok((set, Source::Cache));
            }
            Err(_) => forget(cache, url).await,
        }
    }
    if lanes.offline.get() {
        return Err(Failure::Offline);
    }
    for how in [Fetch::Normal, Fetch::Reload] {
        let got = Cell::new(0u64);
        let downloaded = download(url, how, &mut |loaded, _| {
            lanes.add(loaded as i64 - got.get() as i64);
            got.set(loaded);
        })
        .await;
        let last = how == Fetch::Reload;
        let problem = match downloaded {
            Ok(mut bytes) => match job.shard.decode(&bytes) {
                Ok(set) => {
                    if let Some(cache) = &lanes.cache {
                        let _ = store(cache, url, &mut bytes).await;
                    }
                    return Ok((set, Source::Network));
                }
                Err(problem) => problem,
            },
            Err(DownloadError::CouldNotFetch { .. }) => {
                lanes.add(-(got.get() as i64));
                lanes.offline.set(true);
                return Err(Failure::Offline);
            }
            Err(DownloadError::Status { status: 404, .. }) => return Err(Failure::Missing),
            Err(DownloadError::CutShort { got, .. }) => ShardProblem::WrongSize {
                got,
                expected: job.shard.bytes,
            },
            Err(error @ DownloadError::BrokeOff { .. }) if last => {
                lanes.add(-(got.get() as i64));
                return Err(Failure::Download(error));
            }
            Err(DownloadError::BrokeOff { .. }) => ShardProblem::WrongSize {
                got: got.get(),
                expected: job.shard.bytes,
            },
            Err(error) => {
                lanes.add(-(got.get() as i64));
                return Err(Failure::Download(error));
            }
        };
        // What came is not counted: the next try fetches it all again.
        lanes.add(-(got.get() as i64));
        if last {
            return Err(Failure::Shard {
                file: job.shard.file.clone(),
                problem,
            });
        }
    }
    unreachable!("the second try returns")
}

/// The images this browser keeps (the first shards of each split, in the
/// cache), as far as the cached manifest says: what a visit without a
/// connection can train on. `None` where nothing is known (no cache, no
/// manifest kept).
pub async fn here(base_url: &str) -> Option<Images> {
    let cache = open_cache().await?;
    let manifest = Manifest::parse(&cached(&cache, &format!("{base_url}{MANIFEST}")).await?).ok()?;
    let mut here = [0usize; 2];
    for (split, count) in [&manifest.train, &manifest.test].into_iter().zip(&mut here) {
        for shard in &split.shards {
            let url = format!("{base_url}{FOLDER}{}", shard.file);
            let found = JsFuture::from(cache.match_with_str(&url)).await.ok();
            if found.is_none_or(|found| found.is_undefined()) {
                break;
            }
            *count += shard.images;
        }
    }
    Some(Images {
        train: here[0],
        test: here[1],
    })
}
