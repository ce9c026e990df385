pub mod lagging;
